/**
 * Reference hall server (the central platform's sync endpoint). This first version answers health
 * and protocol information from its own store; the sync protocol itself (enrollment, blobs, push,
 * pull, staff actions) is built on it by the sync work (docs/sync-protocol.md).
 */
import { join } from 'node:path';
import Fastify from 'fastify';
import type { HallConfig } from './config.js';
import { HALL_MIGRATIONS, openHallDatabase } from './store.js';

export const PROTOCOL_VERSION = 1;

export type HallServer = { url: string; port: number; close(): Promise<void> };

export async function startHallServer(config: HallConfig, opts: { silent?: boolean } = {}): Promise<HallServer> {
  const opened = openHallDatabase(join(config.dataDir, 'hall.db'));
  if (!opened.ok) throw new Error(opened.error);
  const { db } = opened;
  const app = Fastify({ logger: opts.silent ? false : { level: 'info' } });
  const kiosks = db.prepare('SELECT count(*) FROM kiosks').pluck();
  app.get('/healthz', () => ({ ok: true }));
  app.get('/v1/info', () => ({
    name: 'zizhu-hall',
    protocolVersion: PROTOCOL_VERSION,
    schemaVersion: HALL_MIGRATIONS.length,
    kiosks: kiosks.get() as number,
  }));
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (e) {
    db.close();
    throw e;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  return {
    url: `http://${config.host}:${port}/`,
    port,
    async close() {
      await app.close();
      db.close();
    },
  };
}
