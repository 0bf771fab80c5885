/**
 * Whether an error is D1 failing to answer (it is down, overloaded, reset, or the connection was
 * lost), as opposed to a bug in our own code. The operator's reads and writes call D1 from many
 * small query functions, so this is decided once, here, from what D1's errors say of themselves.
 * `D1_TYPE_ERROR` (a value D1 cannot bind) is ours, so it stays an internal error.
 */
export function isStorageFailure(err: unknown): boolean {
  const message = String((err as Error)?.message ?? "");
  return STORAGE_FAILURE.test(message);
}

const STORAGE_FAILURE =
  /^D1_(ERROR|EXEC_ERROR)\b|Network connection lost|D1 DB is overloaded|D1 DB storage|storage caused object to be reset|D1 DB reset/;
