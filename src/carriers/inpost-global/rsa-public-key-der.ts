/**
 * A minimal DER walker: just enough of X.509 (RFC 5280) to reach a certificate's
 * SubjectPublicKeyInfo, which WebCrypto imports as `spki` (it imports no certificates). Nothing
 * else in the certificate is read: not its dates (InPost's sandbox certificate expired while its key
 * still signs), not its issuer; the key is what was configured, so the key is what is trusted.
 * Every step checks its bounds and throws on anything unexpected.
 */

interface Element {
  tag: number;
  start: number;
  end: number;
}

// rsaEncryption, 1.2.840.113549.1.1.1, as DER content bytes.
const RSA_OID = "42,134,72,134,247,13,1,1,1";

/** The element at `at`, which must lie within `limit` (and have `tag`, when given). */
function element(der: Uint8Array, at: number, limit: number, tag?: number): Element {
  if (at + 2 > limit) throw new Error("truncated");
  let length = der[at + 1] as number;
  let start = at + 2;
  if (length > 0x7f) {
    // Long form; DER has no indefinite length (0x80), and 3 length bytes cover 16 MiB.
    const count = length & 0x7f;
    if (count < 1 || count > 3 || start + count > limit) throw new Error("bad length");
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (der[start++] as number);
  }
  const found = der[at] as number;
  if ((tag !== undefined && found !== tag) || start + length > limit) throw new Error("unexpected element");
  return { tag: found, start, end: start + length };
}

/** The SubjectPublicKeyInfo inside an X.509 certificate's DER, as its own DER bytes. */
export function spkiOfCertificate(der: Uint8Array): Uint8Array {
  const certificate = element(der, 0, der.length, 0x30);
  const tbs = element(der, certificate.start, certificate.end, 0x30);
  let at = tbs.start;
  // [0] EXPLICIT version, absent in v1 certificates.
  if (der[at] === 0xa0) at = element(der, at, tbs.end).end;
  // serialNumber, signature, issuer, validity, subject.
  for (let i = 0; i < 5; i++) at = element(der, at, tbs.end).end;
  return der.subarray(at, element(der, at, tbs.end, 0x30).end);
}

/**
 * The modulus length in bytes of an RSA SubjectPublicKeyInfo (which is also the length of every
 * signature it verifies); throws for anything that is not one whole RSA public key.
 */
export function rsaModulusBytes(spki: Uint8Array): number {
  const info = element(spki, 0, spki.length, 0x30);
  if (info.end !== spki.length) throw new Error("trailing bytes");
  const algorithm = element(spki, info.start, info.end, 0x30);
  const oid = element(spki, algorithm.start, algorithm.end, 0x06);
  if (spki.subarray(oid.start, oid.end).join() !== RSA_OID) throw new Error("not an RSA key");
  const bits = element(spki, algorithm.end, info.end, 0x03);
  if (spki[bits.start] !== 0) throw new Error("bad bit string");
  // RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }
  const key = element(spki, bits.start + 1, bits.end, 0x30);
  const modulus = element(spki, key.start, key.end, 0x02);
  element(spki, modulus.end, key.end, 0x02);
  return modulus.end - modulus.start - (spki[modulus.start] === 0 ? 1 : 0);
}
