import { describe, expect, it } from "vitest";
import { parsePublicKeys } from "../../src/carriers/inpost-global/public-key-setting";
import { rsaModulusBytes, spkiOfCertificate } from "../../src/carriers/inpost-global/rsa-public-key-der";
import {
  EC_PUBLIC_KEY,
  PRODUCTION_CERTIFICATE,
  SANDBOX_CERTIFICATE,
  SANDBOX_CERTIFICATE_2024,
  SANDBOX_PUBLIC_KEY,
  SANDBOX_SPKI_BASE64,
} from "./inpost-global-certificates";

const der = (pem: string) => Uint8Array.from(atob(pem.replace(/-----[A-Z ]+-----|\s/g, "")), (c) => c.charCodeAt(0));

function read(raw: string) {
  const parsed = parsePublicKeys(raw);
  return {
    problem: "problem" in parsed ? parsed.problem : null,
    unreadable: parsed.value?.unreadable,
    keys: parsed.value?.keys.map((k) => k.id) ?? [],
  };
}

describe("the DER walker", () => {
  it("reaches the certificate's SubjectPublicKeyInfo: the SPKI carriers-more.md 6.3 prints", () => {
    for (const pem of [SANDBOX_CERTIFICATE, SANDBOX_CERTIFICATE_2024]) {
      expect(btoa(String.fromCharCode(...spkiOfCertificate(der(pem))))).toBe(SANDBOX_SPKI_BASE64);
    }
  });

  it("reads a 4096-bit RSA key's modulus length (512 bytes, the length of its signatures)", () => {
    expect(rsaModulusBytes(der(SANDBOX_PUBLIC_KEY))).toBe(512);
    expect(rsaModulusBytes(spkiOfCertificate(der(PRODUCTION_CERTIFICATE)))).toBe(512);
  });

  it("throws on a non-RSA key, a truncated certificate and trailing bytes, never reading past the end", () => {
    expect(() => rsaModulusBytes(der(EC_PUBLIC_KEY))).toThrow("not an RSA key");
    const cert = der(SANDBOX_CERTIFICATE);
    for (const cut of [0, 1, 4, 100, 400, cert.length - 1]) {
      expect(() => rsaModulusBytes(spkiOfCertificate(cert.subarray(0, cut))), `cut at ${cut}`).toThrow();
    }
    const spki = der(SANDBOX_PUBLIC_KEY);
    const longer = new Uint8Array(spki.length + 1);
    longer.set(spki);
    expect(() => rsaModulusBytes(longer)).toThrow();
    // A certificate given as a bare key, and a bare key given as a certificate.
    expect(() => rsaModulusBytes(cert)).toThrow();
    expect(() => spkiOfCertificate(spki)).toThrow();
  });
});

describe("INPOST_GLOBAL_PUBLIC_KEY's parse rule", () => {
  it("takes a certificate and a bare public key as the same key", () => {
    expect(read(SANDBOX_CERTIFICATE)).toEqual({ problem: null, unreadable: false, keys: [SANDBOX_SPKI_BASE64] });
    expect(read(SANDBOX_PUBLIC_KEY)).toEqual({ problem: null, unreadable: false, keys: [SANDBOX_SPKI_BASE64] });
  });

  it("takes several blocks, with text between them, in order", () => {
    const raw = `production:\n${PRODUCTION_CERTIFICATE}\n\nsandbox (renewed 2026-10-05):\n${SANDBOX_CERTIFICATE}\n`;
    const { keys, problem } = read(raw);
    expect(problem).toBeNull();
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(SANDBOX_SPKI_BASE64);
  });

  it("takes a one-line value: line breaks written as \\n, or as spaces, or none", () => {
    for (const raw of [
      SANDBOX_CERTIFICATE.replaceAll("\n", "\\n"),
      SANDBOX_CERTIFICATE.replaceAll("\n", " "),
      SANDBOX_CERTIFICATE.replaceAll("\n", ""),
      SANDBOX_CERTIFICATE.replaceAll("\n", "\r\n"),
    ]) {
      expect(read(raw).keys).toEqual([SANDBOX_SPKI_BASE64]);
    }
  });

  it("names a block it cannot read, keeps the others, and marks the setting unreadable", () => {
    const broken = SANDBOX_CERTIFICATE.replace("MIIGVDCCBDyg", "MIIGVDCCBDyh");
    for (const [raw, says] of [
      [`${SANDBOX_CERTIFICATE}\n${broken}`, "block 2 (CERTIFICATE)"],
      [`${SANDBOX_CERTIFICATE}\n${EC_PUBLIC_KEY}`, "block 2 (PUBLIC KEY): not an RSA key"],
      [
        "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----",
        "block 1 (PRIVATE KEY): neither a CERTIFICATE nor a PUBLIC KEY",
      ],
      ["-----BEGIN CERTIFICATE-----\nnot*base64\n-----END CERTIFICATE-----", "block 1 (CERTIFICATE): not base64"],
      [SANDBOX_CERTIFICATE.slice(0, 600), "without a matching END line"],
      [`${SANDBOX_CERTIFICATE}\n-----BEGIN CERTIFICATE-----\nMIIG`, "1 block(s) without a matching END line"],
      [SANDBOX_SPKI_BASE64, "no PEM block"],
      // A PKCS#1 key (`openssl rsa -RSAPublicKey_out`) is not SubjectPublicKeyInfo.
      [SANDBOX_PUBLIC_KEY.replaceAll("PUBLIC KEY", "RSA PUBLIC KEY"), "(RSA PUBLIC KEY): neither"],
    ] as const) {
      const result = read(raw);
      expect(result.unreadable, raw.slice(0, 40)).toBe(true);
      expect(result.problem).toContain(says);
      expect(result.problem).toContain("503");
    }
    expect(read(`${SANDBOX_CERTIFICATE}\n${EC_PUBLIC_KEY}`).keys).toEqual([SANDBOX_SPKI_BASE64]);
  });

  it("never puts the block's content into the problem", () => {
    const { problem } = read(`-----BEGIN CERTIFICATE-----\n${SANDBOX_SPKI_BASE64}\n-----END CERTIFICATE-----`);
    expect(problem).toContain("block 1 (CERTIFICATE)");
    expect(problem).not.toContain(SANDBOX_SPKI_BASE64.slice(0, 20));
  });
});
