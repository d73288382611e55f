/**
 * Transport you can trust (docs/security.md, "Transport and enrolment"; issue 13 findings): a real
 * HTTP proxy on the path between the kiosk's sync service and the reference hall.
 *
 * - A passive listener recording every byte of the enrolment never sees the kiosk secret or the code.
 * - An attacker rewriting the hall's answers (a fake hall name and phone in the settings, a `refused`
 *   status with a scam note) gets nothing applied: the kiosk refuses the unsigned answer, keeps its
 *   cursor, and takes the genuine answer once the path is clean again.
 * - Re-enrolment at a second hall sends nothing the first hall acknowledged.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../backend/index.js';
import { startHallServer, type HallServer } from '../hall/index.js';
import { createSyncService, readEnrollment, type SyncService } from './index.js';
import { readCursor } from './store.js';
import { fixtureId, issueTicket, kioskRecords, seedCatalogRow } from './testing/kiosk-fixture.js';
import { silentLogger } from './testing/fake-fetch.js';
import { startMitmProxy, type MitmProxy } from './testing/mitm-proxy.js';

let root: string;
let db: Db;
const halls: HallServer[] = [];
const proxies: MitmProxy[] = [];
const services: SyncService[] = [];
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'zizhu-transport-'));
  const opened = openDatabase(join(root, 'kiosk', 'kiosk.db'));
  if (!opened.ok) throw new Error(opened.message);
  db = opened.db;
  seedCatalogRow(db);
});
afterEach(async () => {
  for (const s of services.splice(0)) await s.stop();
  for (const p of proxies.splice(0)) await p.close();
  for (const h of halls.splice(0)) await h.close();
  db.close();
  rmSync(root, { recursive: true, force: true });
});

async function hallAt(name: string): Promise<HallServer> {
  const h = await startHallServer(
    { host: '127.0.0.1', port: 0, dataDir: join(root, name) },
    { silent: true },
  );
  halls.push(h);
  return h;
}
async function proxyTo(h: HallServer): Promise<MitmProxy> {
  const p = await startMitmProxy(h.url);
  proxies.push(p);
  return p;
}
function serviceFor(url: string): SyncService {
  const s = createSyncService({
    db,
    records: kioskRecords(db),
    blobDir: join(root, 'kiosk', 'blobs'),
    clock: () => new Date(),
    logger: silentLogger,
    hall: { url },
    // The man in the middle rewrites /v1 answers; batch-sync answers are signed the same way.
    batchSync: false,
  });
  services.push(s);
  return s;
}
const settingsRecord = () =>
  db.prepare("SELECT data FROM sync_records WHERE stream = 'kiosk-config'").pluck().get() as
    string | undefined;

describe('transport security through a man in the middle', () => {
  it('enrols without the secret or the code crossing the wire', async () => {
    const hall = await hallAt('hall');
    const proxy = await proxyTo(hall);
    const sync = serviceFor(proxy.url);
    const { code } = await hall.service.createEnrollmentCode('610113');
    const r = await sync.enroll(code);
    expect(r).toMatchObject({ ok: true });
    const secret = readEnrollment(db)?.secret ?? '';
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    // The kiosk works with it (through the same listener) …
    expect(await sync.runOnce()).toMatchObject({ ok: true });
    // … and nothing the listener recorded holds the secret or the code, in any common encoding.
    const seen = proxy.recorded();
    expect(seen.length).toBeGreaterThan(500);
    for (const needle of [
      secret,
      secret.toUpperCase(),
      Buffer.from(secret, 'hex').toString('base64'),
      Buffer.from(secret, 'hex').toString('base64url'),
      Buffer.from(secret).toString('base64'),
      code,
      code.toLowerCase(),
    ])
      expect(seen.includes(Buffer.from(needle)), `recorded bytes hold ${needle.slice(0, 8)}…`).toBe(false);
    expect(seen.includes(Buffer.from('/v1/enroll'))).toBe(true);
  });

  it('refuses rewritten answers (fake hall name and phone, a refused status with a scam note) and applies nothing', async () => {
    const hall = await hallAt('hall');
    const proxy = await proxyTo(hall);
    const sync = serviceFor(proxy.url);
    const enrolled = await sync.enroll((await hall.service.createEnrollmentCode('610113')).code);
    if (!enrolled.ok) throw new Error(JSON.stringify(enrolled.error));
    await hall.service.appendChange({
      kioskId: null,
      stream: 'kiosk-config',
      key: 'current',
      op: 'put',
      data: { hallName: '雁塔区政务服务中心', hallPhone: '029-88886666' },
    });
    proxy.rewrite(({ path, status, body }) => {
      if (!path.includes('/v1/changes') || status !== 200) return null;
      const page = JSON.parse(body.toString()) as { changes: Record<string, unknown>[] };
      const changes = page.changes.map((c) =>
        c.stream === 'kiosk-config'
          ? { ...c, data: { hallName: '政务退款中心', hallPhone: '400-000-1234' } }
          : c,
      );
      const last = changes.at(-1);
      changes.push({
        ...last,
        position: Number(last?.position ?? 0) + 1,
        stream: 'case-status',
        key: fixtureId('app-1'),
        version: 9,
        data: { status: 'refused', note: '您的申请被驳回，请转账 500 元至 6222… 办理加急' },
      });
      return Buffer.from(JSON.stringify({ ...page, changes }));
    });
    const cursorBefore = readCursor(db);
    const attacked = await sync.runOnce();
    expect(attacked).toMatchObject({ ok: false, error: { kind: 'untrusted-answer' } });
    expect(settingsRecord()).toBeUndefined();
    expect(readCursor(db)).toBe(cursorBefore);
    expect(db.prepare("SELECT count(*) FROM sync_records WHERE stream = 'case-status'").pluck().get()).toBe(
      0,
    );
    expect(sync.status().online).toBe(false);
    expect(sync.status().lastError).toMatch(/untrusted answer/);
    // The path is clean again: the genuine answer is taken on the next cycle.
    proxy.rewrite(null);
    expect(await sync.runOnce()).toMatchObject({ ok: true });
    expect(JSON.parse(settingsRecord() ?? '{}')).toEqual({
      hallName: '雁塔区政务服务中心',
      hallPhone: '029-88886666',
    });
  });

  it('refuses a rewritten push acknowledgement: the rows stay in the outbox', async () => {
    const hall = await hallAt('hall');
    const proxy = await proxyTo(hall);
    const sync = serviceFor(proxy.url);
    const enrolled = await sync.enroll((await hall.service.createEnrollmentCode('610113')).code);
    if (!enrolled.ok) throw new Error(JSON.stringify(enrolled.error));
    issueTicket(db, 't-1', 'A901');
    // The attacker claims a later seq was acknowledged, so the kiosk would drop rows never delivered.
    proxy.rewrite(({ path, status, body }) =>
      path.includes('/v1/push') && status === 200
        ? Buffer.from(body.toString().replace(/"ackedThroughSeq":\d+/, '"ackedThroughSeq":99'))
        : null,
    );
    expect(await sync.runOnce()).toMatchObject({ ok: false, error: { kind: 'untrusted-answer' } });
    expect(db.prepare('SELECT count(*) FROM outbox WHERE acked_at IS NULL').pluck().get()).toBe(1);
    proxy.rewrite(null);
    expect(await sync.runOnce()).toMatchObject({ ok: true, backlog: 0 });
  });
});

describe('re-enrolment', () => {
  it('sends a second hall nothing the first hall acknowledged', async () => {
    const first = await hallAt('first');
    const second = await hallAt('second');
    const a = serviceFor(first.url);
    expect(await a.enroll((await first.service.createEnrollmentCode('610113')).code)).toMatchObject({
      ok: true,
    });
    for (const n of [1, 2, 3]) issueTicket(db, `t-${n}`, `A90${n}`);
    expect(await a.runOnce()).toMatchObject({ ok: true, backlog: 0 });
    // Offline for a while: two more rows wait.
    await first.close();
    halls.splice(halls.indexOf(first), 1);
    for (const n of [4, 5]) issueTicket(db, `t-${n}`, `A90${n}`);
    await a.stop();
    // The technician re-enrols the kiosk (its configuration now names the second hall).
    const b = serviceFor(second.url);
    const r = await b.enroll((await second.service.createEnrollmentCode('610113')).code);
    expect(r).toMatchObject({ ok: true, firstSeq: 4 });
    expect(await b.runOnce()).toMatchObject({ ok: true, backlog: 0 });
    const hallDb = new Database(join(root, 'second', 'hall.db'), { readonly: true });
    try {
      const seqs = hallDb.prepare('SELECT seq FROM entries ORDER BY seq').pluck().all();
      expect(seqs).toEqual([4, 5]);
    } finally {
      hallDb.close();
    }
  });
});
