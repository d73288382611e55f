/**
 * Two hall nodes for the cross-node tests: a throwaway PostgreSQL cluster, one notifier per node
 * (LISTEN/NOTIFY on it, no health checks), and a hall server per node on it — on one shared data
 * directory (one store, as nodes sharing a database) or on a directory each.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgresCluster, type PostgresCluster } from '../../testing/postgres-cluster.js';
import { createPgNotifier, type PgNotifier } from '../pg-notifier.js';
import { startHallServer, type HallServer } from '../server.js';

export type HallNodes = {
  cluster: PostgresCluster;
  a: HallServer;
  b: HallServer;
  notifiers: PgNotifier[];
  /** Resolves true once every notifier listens again (after cutting the listeners). */
  reconnected(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
};

export async function startHallNodes(opts: {
  prefix: string;
  /** One data directory for both (one store) or one each. */
  sharedStore: boolean;
  server?: Parameters<typeof startHallServer>[1];
}): Promise<HallNodes> {
  const cluster = await startPostgresCluster();
  const dir = mkdtempSync(join(tmpdir(), opts.prefix));
  const notifiers: PgNotifier[] = [];
  const halls: HallServer[] = [];
  const close = async () => {
    for (const h of halls) await h.close();
    for (const n of notifiers) await n.close();
    await cluster.destroy();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const name of ['hallA', 'hallB']) {
      const n = createPgNotifier({
        connectionString: cluster.url,
        clock: () => new Date(),
        nodeId: name,
        healthCheckMs: 0,
      });
      notifiers.push(n);
      if (!(await n.whenConnected(10_000))) throw new Error(`notifier ${name} did not connect`);
      halls.push(
        await startHallServer(
          { host: '127.0.0.1', port: 0, dataDir: opts.sharedStore ? dir : join(dir, name) },
          { silent: true, ...opts.server, notifier: n },
        ),
      );
    }
  } catch (e) {
    await close();
    throw e;
  }
  return {
    cluster,
    a: halls[0]!,
    b: halls[1]!,
    notifiers,
    reconnected: async (timeoutMs) =>
      (await Promise.all(notifiers.map((n) => n.whenConnected(timeoutMs)))).every(Boolean),
    close,
  };
}
