/**
 * Two hall processes on one database (docs/hall-store.md, "On the query layer"): the seq rules and
 * replay protection hold across them because they live in the database — the kiosk's row taken in
 * the push's transaction, the unique (kiosk_id, seq) of entries, a nonce claimed by inserting it —
 * not in a process's memory. Two hall servers on one data directory (one hall.db, each with its own
 * connection and nothing shared in memory) take the same kiosk's pushes interleaved, and a request
 * one of them answered is refused by the other. (On one SQLite file the IMMEDIATE transactions also
 * serialise them; PostgreSQL's FOR UPDATE on the kiosk row needs the PostgreSQL schema to test.)
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { fixtureId, sampleApplication } from '../shared/testing/wire-samples.js';
import { startHallServer, type HallServer } from './server.js';
import { enrolWithService } from './testing/enrol.js';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

let dir: string;
let a: HallServer;
let b: HallServer;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-hall-nodes-'));
  a = await startHallServer({ host: '127.0.0.1', port: 0, dataDir: dir }, { silent: true });
  b = await startHallServer({ host: '127.0.0.1', port: 0, dataDir: dir }, { silent: true });
});
afterEach(async () => {
  await a.close();
  await b.close();
  rmSync(dir, { recursive: true, force: true });
});

type Kiosk = { kioskId: string; secret: string };

/** A signed request (docs/sync-protocol.md, 1) to one hall; `nonce` fixed to replay it. */
async function call(hall: HallServer, k: Kiosk, path: string, body: unknown, nonce?: string) {
  const bytes = Buffer.from(JSON.stringify(body));
  const ts = String(Date.now());
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
  const db = new Database(join(dir, 'hall.db'), { readonly: true });
  try {
    expect(db.prepare('SELECT count(*) FROM entries').pluck().get()).toBe(12);
    expect(db.prepare('SELECT count(*) FROM applications').pluck().get()).toBe(12);
    expect(db.prepare('SELECT last_applied_seq FROM kiosks WHERE id = ?').pluck().get(k.kioskId)).toBe(12);
  } finally {
    db.close();
  }
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
