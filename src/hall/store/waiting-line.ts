/**
 * The waiting line of one table of the hall's queue — the numbers handed out online (`queue_numbers`,
 * by `issued_at`) and the tickets kiosks numbered offline (`tickets`, by `received_at`): one query set
 * over either, so both wait in line the same way.
 */
import type { HallSql } from './sql.js';

export type WaitingTicket = { id: string; number: string; at: string };

export function waitingLine(
  sql: HallSql,
  table: 'queue_numbers' | 'tickets',
  time: 'issued_at' | 'received_at',
) {
  const waiting = `WHERE service_date = ? AND window_code = ? AND called_at IS NULL`;
  const Q = {
    // `window` is a reserved word of PostgreSQL: quoted (the same name on SQLite).
    byWindow: `SELECT window_code AS "window", count(*) AS n FROM ${table}
      WHERE service_date = ? AND called_at IS NULL GROUP BY window_code`,
    ahead: `SELECT count(*) FROM ${table} ${waiting} AND ${time} < ?`,
    aheadPriority: `SELECT count(*) FROM ${table} ${waiting} AND priority IS NOT NULL AND ${time} < ?`,
    next: `SELECT id, number, ${time} AS at FROM ${table} ${waiting} ORDER BY ${time}, number LIMIT 1`,
    nextPriority: `SELECT id, number, ${time} AS at FROM ${table} ${waiting} AND priority IS NOT NULL
      ORDER BY ${time}, number LIMIT 1`,
    call: `UPDATE ${table} SET called_at = ? WHERE id = ?`,
  };
  return {
    /** Not yet called on a day, per window. */
    waitingByWindow: (serviceDate: string): Promise<{ window: string; n: number }[]> =>
      sql.all<{ window: string; n: number }>(Q.byWindow, [serviceDate]),
    /** Of a window, waiting since before `at`. */
    waitingBefore: async (serviceDate: string, window: string, at: string): Promise<number> =>
      (await sql.value<number>(Q.ahead, [serviceDate, window, at])) ?? 0,
    /** Priority ones of a window waiting since before `at`. */
    priorityWaitingBefore: async (serviceDate: string, window: string, at: string): Promise<number> =>
      (await sql.value<number>(Q.aheadPriority, [serviceDate, window, at])) ?? 0,
    /** The earliest of a window not yet called (only priority ones with `priorityOnly`). */
    next: (serviceDate: string, window: string, priorityOnly = false): Promise<WaitingTicket | undefined> =>
      sql.get<WaitingTicket>(priorityOnly ? Q.nextPriority : Q.next, [serviceDate, window]),
    async call(id: string, at: string): Promise<void> {
      await sql.run(Q.call, [at, id]);
    },
  };
}
