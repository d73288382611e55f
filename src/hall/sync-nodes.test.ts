/**
 * Two hall processes on one database (docs/hall-store.md, "On the query layer"): the seq rules, replay
 * protection and queue numbers hold across them because they live in the database — the kiosk's row
 * taken in the push's transaction (PostgreSQL: FOR UPDATE), the unique (kiosk_id, seq) of entries, a
 * nonce claimed by inserting it, a queue number's unique idempotency key — not in a process's memory.
 * Two hall servers on one database (SQLite: one hall.db, each with its own connection; PostgreSQL: one
 * database of a throwaway cluster, each with its own pool), nothing shared in memory, take the same
 * kiosk's requests at once, and a request one of them answered is refused by the other.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixtureId, sampleApplication } from '../shared/testing/wire-samples.js';
import { startPostgresCluster, type PostgresCluster } from '../testing/postgres-cluster.js';
import { startHallServer, type HallServer } from './server.js';
import { enrolWithService } from './testing/enrol.js';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
// Inside the queue's opening hours (the numbers are handed out by day and window).
const NOW = Date.parse('2026-03-02T01:00:00Z');
const DAY = '2026-03-02';

let dir: string;
let a: HallServer;
let b: HallServer;
let cluster: PostgresCluster | undefined;
let databaseUrl: string | undefined;

/** One number from the hall's database, whichever engine holds it. */
async function scalar(query: string, params: unknown[] = []): Promise<number> {
  if (databaseUrl === undefined) {
    const db = new Database(join(dir, 'hall.db'), { readonly: true });
    try {
      return Number(
        db
          .prepare(query.replace(/\$\d+/g, '?'))
          .pluck()
          .get(...params),
      );
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return Number(Object.values((await client.query(query, params)).rows[0] as object)[0]);
  } finally {
    await client.end();
  }
}

type Kiosk = { kioskId: string; secret: string };

/** A signed request (docs/sync-protocol.md, 1) to one hall; `nonce` fixed to replay it. */
async function call(hall: HallServer, k: Kiosk, path: string, body: unknown, nonce?: string) {
  const bytes = Buffer.from(JSON.stringify(body));
  const ts = String(NOW);
  const n = nonce ?? randomBytes(16).toString('hex');
  const sig = createHmac('sha256', k.secret)
    .update(`POST\n${path}\n${ts}\n${n}\n${sha(bytes)}`)
    .digest('hex');
  const res = await fetch(new URL(path.slice(1), hall.url), {
    method: 'POST',
    headers: {
      'x-zizhu-kiosk-id': k.kioskId,
      'x-zizhu-timestamp': ts,
      'x-zizhu-nonce': n,
      'x-zizhu-schema-version': '2',
      'x-zizhu-signature': sig,
      'content-type': 'application/json',
    },
    body: new Uint8Array(bytes),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const applications = (names: string[], from: number) =>
  names.map((name, i) => {
    const text = JSON.stringify(sampleApplication({ id: fixtureId(name), jurisdiction: '610113' }));
    return { seq: from + i, kind: 'application', payload: text, payloadHash: sha(text) };
  });

type PushBody = { ackedThroughSeq: number; results: { seq: number; status: string; duplicate: boolean }[] };

describe.each(['sqlite', 'postgres'] as const)('two halls on one %s database', (engine) => {
  beforeAll(async () => {
    if (engine === 'postgres') cluster = await startPostgresCluster();
  }, 60_000);
  afterAll(async () => {
    await cluster?.destroy();
    cluster = undefined;
  });
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'zizhu-hall-nodes-'));
    databaseUrl = undefined;
    if (cluster) databaseUrl = (await cluster.createDatabase('nodes')).url;
    const config = { host: '127.0.0.1', port: 0, dataDir: dir, ...(databaseUrl ? { databaseUrl } : {}) };
    a = await startHallServer(config, { silent: true, clock: () => new Date(NOW) });
    b = await startHallServer(config, { silent: true, clock: () => new Date(NOW) });
  });
  afterEach(async () => {
    await a.close();
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies each seq of a kiosk once when two halls on one database take its pushes at once', async () => {
    const k = await enrolWithService(a.service, '610113');
    const names = Array.from({ length: 12 }, (_, i) => `node-case-${i}`);
    const entries = applications(names, 1);
    // The same batch to both halls at once, twice over (a kiosk retrying on another node).
    const answers = await Promise.all([a, b, a, b].map((h) => call(h, k, '/v1/push', { entries })));
    for (const r of answers) {
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect((r.body as PushBody).ackedThroughSeq).toBe(12);
    }
    // Every seq was applied by exactly one request; the others acknowledged it as a duplicate.
    for (let seq = 1; seq <= 12; seq++) {
      const fresh = answers.filter((r) =>
        (r.body as PushBody).results.some((x) => x.seq === seq && x.status === 'applied' && !x.duplicate),
      );
      expect(fresh, `seq ${seq}`).toHaveLength(1);
    }
    expect(await scalar('SELECT count(*) FROM entries')).toBe(12);
    expect(await scalar('SELECT count(*) FROM applications')).toBe(12);
    expect(await scalar('SELECT last_applied_seq FROM kiosks WHERE id = $1', [k.kioskId])).toBe(12);
  });

  it('refuses on one hall a request the other already answered (the nonce is in the database)', async () => {
    const k = await enrolWithService(a.service, '610113');
    const nonce = randomBytes(16).toString('hex');
    const body = { entries: applications(['replayed-case'], 1) };
    expect((await call(a, k, '/v1/push', body, nonce)).status).toBe(200);
    const again = await call(b, k, '/v1/push', body, nonce);
    expect(again.status).toBe(401);
    expect(again.body).toMatchObject({ error: 'replayed' });
  });

  it('gives one queue number for one idempotency key taken on both halls at once', async () => {
    const k = await enrolWithService(a.service, '610113');
    const body = {
      id: fixtureId('raced-ticket'),
      idempotencyKey: 'take-raced-ticket',
      window: 'ylsb',
      prefix: 'E',
      serviceDate: DAY,
    };
    const answers = await Promise.all([a, b, a, b].map((h) => call(h, k, '/v1/queue/tickets', body)));
    for (const r of answers) expect(r.status, JSON.stringify(r.body)).toBe(200);
    // The same ticket from every answer; one took the number, the others found it (reused).
    const ticket = { ...answers[0]!.body, reused: undefined };
    for (const r of answers) expect({ ...r.body, reused: undefined }).toEqual(ticket);
    expect(answers.filter((r) => r.body.reused === false)).toHaveLength(1);
    expect(await scalar('SELECT count(*) FROM queue_numbers')).toBe(1);
    // The next key gets the next number, on either hall.
    const next = await call(b, k, '/v1/queue/tickets', {
      ...body,
      id: fixtureId('next-ticket'),
      idempotencyKey: 'take-next-ticket',
    });
    expect(next.status).toBe(200);
    expect(next.body.number).not.toBe(answers[0]!.body.number);
    expect(await scalar('SELECT count(*) FROM queue_numbers')).toBe(2);
  });
});
