/**
 * Runs a write statement, or it and an audit row in one batch (the row after it, so the row's
 * `changes()` reads this statement). Answers the write's own result either way.
 */
export async function withAudit(
  db: D1Database,
  write: D1PreparedStatement,
  audit?: D1PreparedStatement,
): Promise<D1Result<Record<string, unknown>>> {
  if (!audit) return write.run();
  const [result] = await db.batch<Record<string, unknown>>([write, audit]);
  return result as D1Result<Record<string, unknown>>;
}
