import { ApiError } from "../errors/api-error";

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** JSON from the raw bytes, whatever Content-Type claimed; also returns the text that gets stored. */
export function parseJsonBody(raw: Uint8Array): { text: string; value: unknown } {
  let text: string;
  try {
    text = decoder.decode(raw);
  } catch {
    throw new ApiError("malformed_json", undefined, "The body is not UTF-8 encoded JSON.");
  }
  try {
    return { text, value: JSON.parse(text) };
  } catch {
    throw new ApiError("malformed_json");
  }
}
