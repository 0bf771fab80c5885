/** Standard base64 (padding optional) as bytes, or null for anything else, including an empty value. */
export function decodeBase64(text: string | null | undefined): Uint8Array<ArrayBuffer> | null {
  if (!text || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return null;
  try {
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    // atob refuses a length that no encoder produces (one char past a group).
    return null;
  }
}
