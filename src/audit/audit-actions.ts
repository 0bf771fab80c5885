/** Every action the audit log records (docs/operator-api.md, "Audit log"). */
export const AUDIT_ACTIONS = [
  "event.replay",
  "events.replay",
  "destination.replay",
  "quarantine.retry",
  "destination.create",
  "destination.update",
  "destination.pause",
  "destination.resume",
  "destination.delete",
  "destination.rotate_secret",
  "key.create",
  "key.revoke",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
