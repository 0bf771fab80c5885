import type { Filter } from "./filter";

/** A destination as the consumer forwards to it (no health, no counts: those are the delivery state machine's). */
export type Destination = {
  /** The compact internal key deliveries use (destinations.no); 1 is `default`. */
  no: number;
  /** The public id: `default` or `dst_` + ULID. */
  id: string;
  name: string;
  url: string;
  /** null: every event. */
  filter: Filter | null;
  paused: boolean;
  /**
   * The whsec_ keys that sign, current first, then the previous one within 24 h of a rotation,
   * each only when it decrypts. Empty when none does (DESTINATIONS_KEY unset, or no value opens
   * them): then nothing is sent, never unsigned.
   */
  secrets: string[];
};
