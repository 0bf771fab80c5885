/** Flags an event whose queue send failed, so the next sweep queues it without waiting. */
export async function markEnqueueFailed(db: D1Database, eventId: string, at: string): Promise<void> {
  await db.prepare("UPDATE events SET enqueue_failed_at = ?2 WHERE id = ?1").bind(eventId, at).run();
}
