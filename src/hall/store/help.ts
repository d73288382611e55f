/** 呼叫帮助 requests (migration 9): one row per request, its state and who answered. */
import type { HelpState, StaffHelpRequest } from '../../shared/help.js';
import type { HallDb } from './db.js';

/** The two directions of a call's signalling: the desk's messages to the kiosk, and back. */
export type SignalDirection = 'to-kiosk' | 'to-staff';

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
    // The signalling log (migration 18): numbered by the database, whichever node took the signal.
    nextSeq: db
      .prepare('SELECT COALESCE(MAX(seq), 0) + 1 FROM help_signals WHERE request_id = ? AND direction = ?')
      .pluck(),
    addSignal: db.prepare(
      'INSERT INTO help_signals (request_id, direction, seq, signal, created_at) VALUES (?, ?, ?, zk_seal(?), ?)',
    ),
    signalsAfter: db.prepare(
      `SELECT seq, zk_open(signal) AS signal FROM help_signals
       WHERE request_id = ? AND direction = ? AND seq > ? ORDER BY seq LIMIT ?`,
    ),
    dropSignals: db.prepare('DELETE FROM help_signals WHERE request_id = ?'),
    purgeSignals: db.prepare(
      `DELETE FROM help_signals WHERE request_id IN (SELECT id FROM help_requests
         WHERE state IN ('closed', 'cancelled') AND closed_at < ?)`,
    ),
  };
  const appendSignal = db.transaction(
    (requestId: string, direction: SignalDirection, signal: string, at: string): number => {
      const seq = q.nextSeq.get(requestId, direction) as number;
      q.addSignal.run(requestId, direction, seq, signal, at);
      return seq;
    },
  );
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
    /**
     * Appends a signal (its JSON) to a request's log in one direction; returns its number. One
     * immediate transaction: two nodes appending at once get 1 and 2, never the same number.
     */
    appendSignal: (requestId: string, direction: SignalDirection, signal: string, at: string): number =>
      appendSignal.immediate(requestId, direction, signal, at),
    /** The signals after `after` in one direction, in order (JSON as stored), at most `limit`. */
    signalsAfter: (requestId: string, direction: SignalDirection, after: number, limit = 1000) =>
      q.signalsAfter.all(requestId, direction, after, limit) as { seq: number; signal: string }[],
    dropSignals: (requestId: string): void => {
      q.dropSignals.run(requestId);
    },
    /** Deletes the signals of calls that ended before `before`; returns how many rows went. */
    purgeSignals: (before: string): number => q.purgeSignals.run(before).changes,
  };
}

export type HelpStore = ReturnType<typeof createHelpStore>;
