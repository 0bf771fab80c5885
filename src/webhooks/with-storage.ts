import { ApiError } from "../errors/api-error";

/** A D1 failure becomes 503: nothing was accepted and the carrier will retry. */
export async function withStorage<R>(write: () => Promise<R>): Promise<R> {
  try {
    return await write();
  } catch (err) {
    console.error(
      JSON.stringify({ msg: "storage_failed", error: String((err as Error)?.message ?? err).slice(0, 200) }),
    );
    throw new ApiError("storage_unavailable");
  }
}
