import type { AftershipCheckpoint } from "./aftership-payload-schema";

/**
 * The newest checkpoint: the greatest `checkpoint_time` by its local wall-clock part (the first 19
 * characters; offsets are missing on many, so instants cannot be compared), the later in the list
 * on a tie. AfterShip lists checkpoints oldest first, but nothing here depends on that order.
 */
export function newestCheckpoint(checkpoints: AftershipCheckpoint[] | null | undefined): AftershipCheckpoint | null {
  let newest: AftershipCheckpoint | null = null;
  let newestKey = "";
  for (const c of checkpoints ?? []) {
    const key = c.checkpoint_time?.slice(0, 19) ?? "";
    if (newest === null || key >= newestKey) {
      newest = c;
      newestKey = key;
    }
  }
  return newest;
}
