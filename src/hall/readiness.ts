/**
 * `GET /readyz` (docs/deployment.md, 3a): whether this node can serve kiosks now — its database
 * answers within `timeoutMs` and, with other nodes, its cross-node notifier is connected — for a load
 * balancer or a monitor. `GET /healthz` stays the process's own liveness. Unauthenticated like it, so
 * it says which part is down and never why (no host, no error text), and it asks the database at
 * most once per `cacheMs` however often it is called (a flood of /readyz cannot take the pool's
 * connections from the kiosks).
 */
import type { HallNotifier } from './notifier.js';
import { databaseAnswers, type HallSql } from './store/index.js';

export type Readiness = {
  ok: boolean;
  database: 'up' | 'down';
  /** `in-process`: one node, no cross-node notifier to be down. */
  notifier: 'up' | 'down' | 'in-process';
};

export function createReadiness(deps: {
  sql: Pick<HallSql, 'value'>;
  notifier?: Pick<HallNotifier, 'state'>;
  timeoutMs?: number;
  cacheMs?: number;
  now?: () => number;
}): () => Promise<Readiness> {
  const timeoutMs = deps.timeoutMs ?? 2_000;
  const cacheMs = deps.cacheMs ?? 1_000;
  const now = deps.now ?? Date.now;
  let last: { at: number; up: Promise<boolean> } | null = null;

  const ask = (): Promise<boolean> =>
    new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      databaseAnswers(deps.sql).then(
        (up) => {
          clearTimeout(timer);
          resolve(up);
        },
        () => {
          clearTimeout(timer);
          resolve(false);
        },
      );
    });

  const databaseUp = (): Promise<boolean> => {
    const t = now();
    if (last === null || t - last.at >= cacheMs) last = { at: t, up: ask() };
    return last.up;
  };

  return async () => {
    const database = (await databaseUp()) ? 'up' : 'down';
    const notifier = deps.notifier
      ? deps.notifier.state().state === 'connected'
        ? 'up'
        : 'down'
      : 'in-process';
    return { ok: database === 'up' && notifier !== 'down', database, notifier };
  };
}
