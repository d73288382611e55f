/**
 * The statements of the cross-node notifier (src/hall/pg-notifier.ts) on PostgreSQL: LISTEN on a
 * channel, NOTIFY with a payload, and the health check of the listening connection. Kept here with
 * the hall's other SQL (docs/store.md, "Stores: where the SQL lives").
 */
import pg from 'pg';

type Queryable = { query(text: string, values?: unknown[]): Promise<unknown> };

/** LISTEN takes an identifier, not a parameter: the channel is quoted as one. */
export const pgListen = (c: Queryable, channel: string): Promise<unknown> =>
  c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);

/** pg_notify() rather than NOTIFY: channel and payload travel as parameters. */
export const pgNotify = (c: Queryable, channel: string, payload: string): Promise<unknown> =>
  c.query('SELECT pg_notify($1, $2)', [channel, payload]);

export const pgPing = (c: Queryable): Promise<unknown> => c.query('SELECT 1');
