import { defineCarrier } from "../kit";
import { normalizeTrack17, track17EventKey } from "./normalize-track17";
import { type Track17Payload, track17PayloadSchema } from "./track17-payload-schema";
import { track17Settings } from "./track17-settings";
import { verifyTrack17Body, verifyTrack17Sender } from "./verify-track17-sender";

/** 17TRACK's Tracking API v2.2 push: one route for every carrier 17TRACK tracks (docs/carriers/17track.md). */
export const track17 = defineCarrier({
  name: "17track",
  color: "#0a7cff",
  bodyFormat: 11,
  settings: track17Settings,
  verifySender: verifyTrack17Sender,
  verifyBody: verifyTrack17Body,
  schema: track17PayloadSchema,
  eventKey: track17EventKey,
  normalize: normalizeTrack17,
  eventTypes: ["shipment.status_changed", "unknown"],
});

export type { Track17Payload };
