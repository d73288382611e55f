/** 呼叫帮助 requests (migration 9): one row per request, its state and who answered. */
import type { HelpState, StaffHelpRequest } from '../../shared/help.js';
import type { HallSql } from './sql.js';

/** The two directions of a call's signalling: the desk's messages to the kiosk, and back. */
export type SignalDirection = 'to-kiosk' | 'to-staff';

export type HelpRow = StaffHelpRequest & { jurisdiction: string };

const COLUMNS = `id, kiosk_id AS kioskId, jurisdiction, step, since, created_at AS createdAt, state,
  resident_name AS residentName, staff`;

const Q = {
  insert: `INSERT INTO help_requests (id, kiosk_id, jurisdiction, step, since, consent, resident_name, state, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, 'waiting', ?) ON CONFLICT(id) DO NOTHING`,
  byId: `SELECT ${COLUMNS} FROM help_requests WHERE id = ?`,
  open: `SELECT ${COLUMNS} FROM help_requests WHERE jurisdiction = ? AND state IN ('waiting', 'answered')
    ORDER BY created_at, id`,
  answer:
    "UPDATE help_requests SET state = 'answered', staff = ?, answered_at = ? WHERE id = ? AND state = 'waiting'",
  close:
    "UPDATE help_requests SET state = ?, closed_at = ? WHERE id = ? AND state IN ('waiting', 'answered')",
  // The signalling log (migration 18): numbered by the database, whichever node took the signal.
  nextSeq: 'SELECT COALESCE(MAX(seq), 0) + 1 FROM help_signals WHERE request_id = ? AND direction = ?',
  addSignal:
    'INSERT INTO help_signals (request_id, direction, seq, signal, created_at) VALUES (?, ?, ?, ?, ?)',
  signalsAfter: `SELECT seq, signal FROM help_signals
    WHERE request_id = ? AND direction = ? AND seq > ? ORDER BY seq LIMIT ?`,
  dropSignals: 'DELETE FROM help_signals WHERE request_id = ?',
  purgeSignals: `DELETE FROM help_signals WHERE request_id IN (SELECT id FROM help_requests
    WHERE state IN ('closed', 'cancelled') AND closed_at < ?)`,
};

export function createHelpStore(sql: HallSql) {
  const opened = (r: HelpRow): HelpRow => ({ ...r, residentName: sql.openOrNull(r.residentName) });
  // PostgreSQL: the request's row is locked while the next number is taken (SQLite's IMMEDIATE
  // transaction already holds the write lock), so two nodes never take the same number.
  const lockRequest = `SELECT id FROM help_requests WHERE id = ?${sql.dialect({ sqlite: '', postgres: ' FOR UPDATE' })}`;
  return {
    /** Records a new request; a retried one (same id) changes nothing. */
    async insert(r: {
      id: string;
      kioskId: string;
      jurisdiction: string;
      step: string;
      since: string;
      consent: boolean;
      residentName: string | null;
      at: string;
    }): Promise<void> {
      await sql.run(Q.insert, [
        r.id,
        r.kioskId,
        r.jurisdiction,
        r.step,
        r.since,
        r.consent ? 1 : 0,
        sql.sealOrNull(r.residentName),
        r.at,
      ]);
    },
    async byId(id: string): Promise<HelpRow | undefined> {
      const r = await sql.get<HelpRow>(Q.byId, [id]);
      return r ? opened(r) : undefined;
    },
    /** Waiting and answered requests of a jurisdiction, oldest first. */
    open: async (jurisdiction: string): Promise<HelpRow[]> =>
      (await sql.all<HelpRow>(Q.open, [jurisdiction])).map(opened),
    /** True when the request was waiting and is now answered by `staff`. */
    answer: async (id: string, staff: string, at: string): Promise<boolean> =>
      (await sql.run(Q.answer, [staff, at, id])).changes === 1,
    /** True when an open request is now closed or cancelled. */
    close: async (
      id: string,
      state: Extract<HelpState, 'closed' | 'cancelled'>,
      at: string,
    ): Promise<boolean> => (await sql.run(Q.close, [state, at, id])).changes === 1,
    /**
     * Appends a signal (its JSON) to a request's log in one direction; returns its number. One
     * transaction: two nodes appending at once get 1 and 2, never the same number.
     */
    appendSignal: (
      requestId: string,
      direction: SignalDirection,
      signal: string,
      at: string,
    ): Promise<number> =>
      sql.transaction(async () => {
        await sql.get(lockRequest, [requestId]);
        const seq = Number(await sql.value<number>(Q.nextSeq, [requestId, direction]));
        await sql.run(Q.addSignal, [requestId, direction, seq, sql.seal(signal), at]);
        return seq;
      }),
    /** The signals after `after` in one direction, in order (JSON as stored), at most `limit`. */
    signalsAfter: async (
      requestId: string,
      direction: SignalDirection,
      after: number,
      limit = 1000,
    ): Promise<{ seq: number; signal: string }[]> =>
      (
        await sql.all<{ seq: number; signal: string }>(Q.signalsAfter, [requestId, direction, after, limit])
      ).map((r) => ({ seq: r.seq, signal: sql.open(r.signal) })),
    async dropSignals(requestId: string): Promise<void> {
      await sql.run(Q.dropSignals, [requestId]);
    },
    /** Deletes the signals of calls that ended before `before`; returns how many rows went. */
    purgeSignals: async (before: string): Promise<number> =>
      (await sql.run(Q.purgeSignals, [before])).changes,
  };
}

export type HelpStore = ReturnType<typeof createHelpStore>;
