import { EVENT_COLUMNS } from "../../db/row-to-event";
import type { ListedEventRow } from "../../operator/db/list-events";

export async function getEvent(db: D1Database, id: string): Promise<ListedEventRow | null> {
  return db.prepare(`SELECT seq, state, ${EVENT_COLUMNS} FROM events WHERE id = ?1`).bind(id).first<ListedEventRow>();
}
