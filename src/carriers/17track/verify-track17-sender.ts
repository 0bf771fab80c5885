import type { SenderContext, SenderVerdict } from "../kit";
import type { Track17Settings } from "./track17-settings";
import { track17Sign, verifyTrack17Sign } from "./track17-sign";

/** No key: 503 (17TRACK retries); a `sign` missing or not 64 lowercase hex digits: 401 without reading the body. */
export async function verifyTrack17Sender(ctx: SenderContext, settings: Track17Settings): Promise<SenderVerdict> {
  if (settings.TRACK17_SECURITY_KEY.length === 0) return "not_configured";
  return track17Sign(ctx.headers) === null ? "unauthorized" : "ok";
}

/** `sign` over the raw body exactly as received, with any configured key (rotation). */
export async function verifyTrack17Body(
  ctx: SenderContext,
  rawBody: Uint8Array,
  settings: Track17Settings,
): Promise<SenderVerdict> {
  if (settings.TRACK17_SECURITY_KEY.length === 0) return "not_configured";
  const ok = await verifyTrack17Sign(rawBody, track17Sign(ctx.headers), settings.TRACK17_SECURITY_KEY);
  return ok ? "ok" : "unauthorized";
}
