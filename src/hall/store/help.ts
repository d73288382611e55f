/** 呼叫帮助 requests (migration 9): one row per request, its state and who answered. */
import type { HelpState, StaffHelpRequest } from '../../shared/help.js';
import type { HallDb } from './db.js';

export type HelpRow = StaffHelpRequest & { jurisdiction: string };

const COLUMNS = `id, kiosk_id AS kioskId, jurisdiction, step, since, created_at AS createdAt, state,
  zk_open(resident_name) AS residentName, staff`;

export function createHelpStore(db: HallDb) {
  const q = {
    insert: db.prepare(
      `INSERT INTO help_requests (id, kiosk_id, jurisdiction, step, since, consent, resident_name, state, created_at)
       VALUES (?, ?, ?, ?, ?, ?, zk_seal(?), 'waiting', ?) ON CONFLICT(id) DO NOTHING`,
    ),
    byId: db.prepare(`SELECT ${COLUMNS} FROM help_requests WHERE id = ?`),
    open: db.prepare(
      `SELECT ${COLUMNS} FROM help_requests WHERE jurisdiction = ? AND state IN ('waiting', 'answered') ORDER BY created_at, id`,
    ),
    answer: db.prepare(
      "UPDATE help_requests SET state = 'answered', staff = ?, answered_at = ? WHERE id = ? AND state = 'waiting'",
    ),
    close: db.prepare(
      "UPDATE help_requests SET state = ?, closed_at = ? WHERE id = ? AND state IN ('waiting', 'answered')",
    ),
  };
  return {
    /** Records a new request; a retried one (same id) changes nothing. */
    insert(r: {
      id: string;
      kioskId: string;
      jurisdiction: string;
      step: string;
      since: string;
      consent: boolean;
      residentName: string | null;
      at: string;
    }): void {
      q.insert.run(r.id, r.kioskId, r.jurisdiction, r.step, r.since, r.consent ? 1 : 0, r.residentName, r.at);
    },
    byId: (id: string): HelpRow | undefined => q.byId.get(id) as HelpRow | undefined,
    /** Waiting and answered requests of a jurisdiction, oldest first. */
    open: (jurisdiction: string): HelpRow[] => q.open.all(jurisdiction) as HelpRow[],
    /** True when the request was waiting and is now answered by `staff`. */
    answer: (id: string, staff: string, at: string): boolean => q.answer.run(staff, at, id).changes === 1,
    /** True when an open request is now closed or cancelled. */
    close: (id: string, state: Extract<HelpState, 'closed' | 'cancelled'>, at: string): boolean =>
      q.close.run(state, at, id).changes === 1,
  };
}

export type HelpStore = ReturnType<typeof createHelpStore>;
