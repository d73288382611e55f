/**
 * The staff side's stores (audit, accounts, staff tokens, help, queue numbers, the desk's queue, the
 * case list) on both engines: the same calls answer the same rows on the embedded SQLite database and
 * on PostgreSQL (a real throwaway cluster, migrated by openPostgresHall). The services' rules are
 * tested through the HTTP API elsewhere; this shows the SQL itself is portable.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgresCluster, type PostgresCluster } from '../../testing/postgres-cluster.js';
import { loadKeyFile } from '../../shared/at-rest/index.js';
import {
  createAccountStore,
  createAuditStore,
  createBlobIndex,
  createCaseListStore,
  createCaseStore,
  createChangeStore,
  createEntryStore,
  createEvaluationStore,
  createTicketStore,
  createDeskQueueStore,
  createHelpStore,
  createQueueNumberStore,
  createStaffStore,
  hallSqlOf,
  openHallDatabase,
  referencedBlobs,
  type HallSql,
} from './index.js';
import { openPostgresHall } from './postgres.js';
import { caseKeysOf } from './filled-columns.js';

let cluster: PostgresCluster;
let dir: string;
const engines: Record<'sqlite' | 'postgres', HallSql> = {} as Record<'sqlite' | 'postgres', HallSql>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zk-staff-stores-'));
  const opened = openHallDatabase(join(dir, 'hall.db'));
  if (!opened.ok) throw new Error(opened.message);
  engines.sqlite = hallSqlOf(opened.db);
  cluster = await startPostgresCluster();
  const keyFile = { path: join(dir, 'pg.key'), create: true };
  expect(loadKeyFile(keyFile.path, { create: true }).ok).toBe(true);
  const pg = await openPostgresHall({ url: cluster.url, keyFile, poolSize: 4 });
  if (!pg.ok) throw new Error(pg.message);
  engines.postgres = pg.sql;
  for (const sql of Object.values(engines)) {
    for (const [id, j] of [
      ['K-1', '610102'],
      ['K-2', '610104'],
    ] as const)
      await sql.run(
        "INSERT INTO kiosks (id, jurisdiction, secret_hash, enrolled_at) VALUES (?, ?, 'x', '2026-03-01T00:00:00Z')",
        [id, j],
      );
  }
}, 90_000);

afterAll(async () => {
  for (const sql of Object.values(engines)) await sql?.close();
  await cluster?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

// Payloads as the contract accepts them (ingest parses each with its schema): strings where it has them.
const FULL_PAYLOAD = {
  receiptNo: ' sx20260302000009 ',
  applicant: { name: ' 王 五 ', idNumber: '61010219900101123x' },
  delivery: { method: 'ems', phone: ' 13800000001 ' },
  form: {
    contact: '13900000002',
    again: ' 13800000001',
    other: '12345678901',
    count: 13900000003,
    note: '',
  },
};

describe.each(['sqlite', 'postgres'] as const)('on %s', (engine) => {
  const sql = () => engines[engine];

  it('audit: appends with its id, pages newest first, filters by case and jurisdiction', async () => {
    expect(sql().engine).toBe(engine);
    const audit = createAuditStore(sql());
    const base = { actor: 'wang', address: '127.0.0.1', detail: { n: 1 } };
    const a = await audit.insert({
      ...base,
      at: 't1',
      action: 'staff.login',
      jurisdiction: null,
      caseId: null,
    });
    const b = await audit.insert({
      ...base,
      at: 't2',
      action: 'case.accept',
      jurisdiction: '610102',
      caseId: 'c1',
    });
    const c = await audit.insert({
      ...base,
      at: 't3',
      action: 'case.accept',
      jurisdiction: '610104',
      caseId: 'c2',
    });
    expect(b).toBe(a + 1);
    expect((await audit.page({ jurisdictions: null, limit: 10 })).map((e) => e.id)).toEqual([c, b, a]);
    expect(await audit.page({ jurisdictions: ['610102'], limit: 10 })).toEqual([
      {
        id: b,
        at: 't2',
        actor: 'wang',
        action: 'case.accept',
        jurisdiction: '610102',
        caseId: 'c1',
        address: '127.0.0.1',
        detail: { n: 1 },
      },
    ]);
    expect((await audit.page({ jurisdictions: null, caseId: 'c2', limit: 10 })).map((e) => e.id)).toEqual([
      c,
    ]);
    expect((await audit.page({ jurisdictions: null, before: c, limit: 1 })).map((e) => e.id)).toEqual([b]);
  });

  it('accounts and sessions: insert, read back, disable once, revoke', async () => {
    const accounts = createAccountStore(sql());
    const id = await accounts.insert({
      login: 'li',
      displayName: '李四',
      passwordHash: 'scrypt$x',
      roles: ['clerk'],
      jurisdictions: ['610102', '610104'],
      createdAt: '2026-03-01T00:00:00Z',
    });
    expect(await accounts.byLogin('li')).toMatchObject({
      id,
      displayName: '李四',
      roles: ['clerk'],
      jurisdictions: ['610102', '610104'],
      disabled: false,
      createdAt: '2026-03-01T00:00:00Z',
    });
    await accounts.addSession('h1', id, 't1');
    await accounts.addSession('h2', id, 't1');
    await accounts.touchSession('h1', 't2');
    expect(await accounts.session('h1')).toEqual({
      accountId: id,
      createdAt: 't1',
      lastSeenAt: 't2',
      revokedAt: null,
    });
    expect(await accounts.revokeSession('h1', 't3')).toBe(true);
    expect(await accounts.revokeSession('h1', 't4')).toBe(false);
    expect(await accounts.revokeSessions(id, 't5')).toBe(1);
    expect(await accounts.disable(id, 't6')).toBe(true);
    expect(await accounts.disable(id, 't7')).toBe(false);
    expect((await accounts.byId(id))?.disabled).toBe(true);
    expect((await accounts.list()).map((a) => a.login)).toEqual(['li']);
  });

  it('staff tokens: by hash while fresh, listed by id, revoked once', async () => {
    const staff = createStaffStore(sql());
    await staff.addToken({
      tokenHash: 'abcdef012345ff',
      name: '王五',
      jurisdiction: '610102',
      at: '2026-03-02T00:00:00Z',
    });
    expect(await staff.byTokenHash('abcdef012345ff', '2026-03-01T00:00:00Z')).toEqual({
      name: '王五',
      jurisdiction: '610102',
    });
    expect(await staff.byTokenHash('abcdef012345ff', '2026-03-03T00:00:00Z')).toBeUndefined();
    expect(await staff.list()).toEqual([
      {
        id: 'abcdef012345',
        name: '王五',
        jurisdiction: '610102',
        createdAt: '2026-03-02T00:00:00Z',
        revokedAt: null,
      },
    ]);
    expect(await staff.countById('abcdef012345')).toBe(1);
    expect(await staff.revoke('abcdef012345', 't')).toBe(true);
    expect(await staff.revoke('abcdef012345', 't')).toBe(false);
  });

  it('help: the name sealed and opened, signals numbered 1… without a gap when appended at once', async () => {
    const help = createHelpStore(sql());
    const request = {
      id: 'h-1',
      kioskId: 'K-1',
      jurisdiction: '610102',
      step: 'apply',
      since: 't0',
      consent: true,
      residentName: '张三',
      at: 't1',
    };
    await help.insert(request);
    await help.insert({ ...request, residentName: '别人' }); // a retry changes nothing
    expect(await sql().value('SELECT resident_name FROM help_requests WHERE id = ?', ['h-1'])).not.toContain(
      '张',
    );
    expect(await help.byId('h-1')).toMatchObject({
      id: 'h-1',
      kioskId: 'K-1',
      createdAt: 't1',
      state: 'waiting',
      residentName: '张三',
      staff: null,
    });
    const seqs = await Promise.all(
      Array.from({ length: 8 }, (_, i) => help.appendSignal('h-1', 'to-staff', JSON.stringify({ i }), 't')),
    );
    expect([...seqs].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect((await help.signalsAfter('h-1', 'to-staff', 6)).map((s) => s.seq)).toEqual([7, 8]);
    expect(await help.answer('h-1', '王五', 't2')).toBe(true);
    expect((await help.open('610102')).map((r) => [r.id, r.state, r.staff])).toEqual([
      ['h-1', 'answered', '王五'],
    ]);
    expect(await help.close('h-1', 'closed', '2026-03-01T10:00:00Z')).toBe(true);
    expect(await help.purgeSignals('2026-03-01T11:00:00Z')).toBe(8);
  });

  it('queue numbers: one statement takes the next number, none past the maximum', async () => {
    const numbers = createQueueNumberStore(sql());
    const taken = await Promise.all(
      Array.from({ length: 5 }, () => numbers.takeNumber('2026-03-02', 'E', 3)),
    );
    expect(taken.filter((n) => n !== undefined).sort()).toEqual([1, 2, 3]);
    expect(taken.filter((n) => n === undefined)).toHaveLength(2);
    expect(await numbers.lastNumber('2026-03-02', 'E')).toBe(3);
    expect(await numbers.takeNumber('2026-03-02', 'E', 3, true)).toBe(1);
    for (const [n, at, priority] of [
      ['E001', 't1', null],
      ['E002', 't2', null],
      ['PE001', 't3', 'elderly'],
    ] as const)
      await numbers.insert({
        id: n,
        idempotencyKey: `k-${n}`,
        kioskId: 'K-1',
        window: 'E',
        number: n,
        serviceDate: '2026-03-02',
        issuedAt: at,
        priority,
      });
    // Another node's number for the same key, recorded while this one's insert waits: nothing
    // written, no unique violation (the service then answers the key's number).
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const race = (id: string, hold: boolean) =>
      sql().transaction(async () => {
        const inserted = await numbers.insert({
          id,
          idempotencyKey: 'k-race',
          kioskId: 'K-1',
          window: 'R',
          number: id,
          serviceDate: '2026-03-09',
          issuedAt: 't1',
          priority: null,
        });
        if (hold) await gate;
        return inserted;
      });
    const firstTake = race('R001', true);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = race('R002', false);
    setTimeout(release, 50);
    expect([await firstTake, await second]).toEqual([true, false]);
    expect((await numbers.byIdempotencyKey('k-race'))?.id).toBe('R001');
    expect(
      await numbers.insert({
        ...(await numbers.byIdempotencyKey('k-E001'))!,
        idempotencyKey: 'k-E001',
        kioskId: 'K-1',
      }),
    ).toBe(false);
    expect(await numbers.byIdempotencyKey('k-E002')).toEqual({
      id: 'E002',
      number: 'E002',
      serviceDate: '2026-03-02',
      issuedAt: 't2',
      window: 'E',
      priority: null,
    });
    expect(await numbers.waitingByWindow('2026-03-02')).toEqual([{ window: 'E', n: 3 }]);
    expect(await numbers.waitingBefore('2026-03-02', 'E', 't3')).toBe(2);
    expect(await numbers.priorityWaitingBefore('2026-03-02', 'E', 't9')).toBe(1);
    expect(await numbers.next('2026-03-02', 'E', true)).toEqual({ id: 'PE001', number: 'PE001', at: 't3' });

    // The desk's queue over the same numbers: priority first, then by time.
    const desk = createDeskQueueStore(sql());
    const first = await desk.next('2026-03-02', 'E', '610102');
    expect(first).toMatchObject({
      id: 'PE001',
      source: 'online',
      window: 'E',
      jurisdiction: '610102',
      priority: 'elderly',
      issuedAt: 't3',
      calledAt: null,
      recalls: 0,
    });
    expect(await desk.waiting('2026-03-02', 'E', '610102')).toBe(3);
    expect(await desk.call(first!, 't4', '窗口五')).toBe(true);
    expect(await desk.call(first!, 't5', '窗口五')).toBe(false);
    expect(await desk.recall(first!, 't6')).toBe(true);
    expect(await desk.transfer(first!, 'F', 't7')).toBe(true);
    expect(await desk.byId('PE001')).toMatchObject({
      window: 'F',
      transferredFrom: 'E',
      calledAt: null,
      recalls: 1,
    });
    expect(await desk.serviceDateOf('PE001')).toBe('2026-03-02');
    expect((await desk.day('2026-03-02', '610102')).map((r) => [r.window, r.number])).toEqual([
      ['E', 'E001'],
      ['E', 'E002'],
      ['F', 'PE001'],
    ]);
    expect(await desk.day('2026-03-02', '610104')).toEqual([]);
  });

  it('blob index: a blob indexed as a file and packed is found, a missing one is not, GC candidates, referenced blobs', async () => {
    const index = createBlobIndex(sql());
    const h = (c: string) => c.repeat(64);
    const pack = 'ab'.repeat(16);
    const other = 'cd'.repeat(16);
    expect(await index.size(h('1'))).toBeUndefined();
    expect(await index.location(h('1'))).toBeUndefined();
    await index.add(h('1'), 10, '2026-01-01T00:00:00.000Z');
    await index.transaction(() =>
      index.addPacked(
        [
          { sha256: h('2'), size: 20, pack, offset: 12, length: 80 },
          { sha256: h('3'), size: 30, pack, offset: 100, length: 90 },
        ],
        '2026-03-01T00:00:00.000Z',
      ),
    );
    expect(await index.size(h('1'))).toBe(10);
    expect(await index.location(h('1'))).toEqual({ size: 10, pack: null });
    expect(await index.location(h('3'))).toEqual({ size: 30, pack, offset: 100, length: 90 });
    expect(await index.size(h('4'))).toBeUndefined();
    expect((await index.all()).map((b) => [b.sha256, b.receivedAt])).toEqual([
      [h('1'), '2026-01-01T00:00:00.000Z'],
      [h('2'), '2026-03-01T00:00:00.000Z'],
      [h('3'), '2026-03-01T00:00:00.000Z'],
    ]);
    expect((await index.inPack(pack)).map((b) => b.sha256)).toEqual([h('2'), h('3')]);
    expect(await index.packs()).toEqual([pack]);
    expect(
      (await index.transaction(() => index.receivedBefore('2026-02-01T00:00:00.000Z'))).map((b) => b.sha256),
    ).toEqual([h('1')]);
    // Compaction moves a row only while it still is in the old pack.
    expect(await index.move(h('2'), pack, other, 12, 80)).toBe(true);
    expect(await index.move(h('2'), pack, other, 12, 80)).toBe(false);
    expect(await index.packs()).toEqual([pack, other]);
    // Sent again as its own file: the packed location gives way.
    await index.add(h('3'), 30, '2026-04-01T00:00:00.000Z');
    expect(await index.location(h('3'))).toEqual({ size: 30, pack: null });
    await index.remove(h('1'));
    expect(await index.location(h('1'))).toBeUndefined();

    // Referenced: linked to a case, or named at any depth of an entry's or a supplement's sealed payload.
    const entryId = await sql().value<number>(
      `INSERT INTO entries (kiosk_id, seq, kind, payload, payload_hash, status, received_at)
       VALUES ('K-1', 900, 'application', ?, 'x', 'applied', 't') RETURNING id`,
      [sql().seal(JSON.stringify({ files: [{ pages: [{ sha256: h('5') }] }] }))],
    );
    await sql().run(
      `INSERT INTO entries (kiosk_id, seq, kind, payload, payload_hash, status, received_at)
       VALUES ('K-1', 901, 'heartbeat', ?, 'x', 'applied', 't')`,
      [sql().seal(JSON.stringify({ sha256: h('6') }))],
    );
    await sql().run(
      `INSERT INTO applications (id, kiosk_id, entry_id, jurisdiction, item_code, status, payload, received_at, updated_at)
       VALUES ('A-blobs', 'K-1', ?, '610102', 'x', 'received', ?, 't', 't')`,
      [entryId, sql().seal('{}')],
    );
    await sql().run("INSERT INTO application_blobs (application_id, sha256) VALUES ('A-blobs', ?)", [h('2')]);
    await sql().run(
      "INSERT INTO supplements (id, application_id, entry_id, payload, received_at) VALUES ('S-blobs', 'A-blobs', ?, ?, 't')",
      [entryId, sql().seal(JSON.stringify({ pages: [{ sha256: h('7') }, { sha256: 'not-a-hash' }] }))],
    );
    expect([...(await referencedBlobs(sql()))].sort()).toEqual([h('2'), h('5'), h('7')]);
    // A page of one row at a time reads every payload all the same; asked about some, it answers
    // only for those.
    expect([...(await referencedBlobs(sql(), { pageSize: 1 }))].sort()).toEqual([h('2'), h('5'), h('7')]);
    const among = new Set([h('2'), h('7'), h('9')]);
    expect([...(await referencedBlobs(sql(), { among, pageSize: 1 }))].sort()).toEqual([h('2'), h('7')]);
    expect((await referencedBlobs(sql(), { among: new Set() })).size).toBe(0);
    // Gone again: the case list's test below counts every application.
    await sql().run("DELETE FROM supplements WHERE id = 'S-blobs'");
    await sql().run("DELETE FROM application_blobs WHERE application_id = 'A-blobs'");
    await sql().run("DELETE FROM applications WHERE id = 'A-blobs'");
    await sql().run("DELETE FROM entries WHERE kiosk_id = 'K-1' AND seq IN (900, 901)");
    await sql().run('DELETE FROM blobs');
  });

  it('blob index: many blobs indexed in one go, asked about at once (held, locations)', async () => {
    const index = createBlobIndex(sql());
    const h = (i: number) => i.toString(16).padStart(64, '0');
    const pack = 'ef'.repeat(16);
    // 450 rows: three statements of at most 200; one hash twice (the last row for it wins).
    const rows = Array.from({ length: 450 }, (_, i) => ({
      sha256: h(i + 1),
      size: i + 1,
      pack,
      offset: i * 100,
      length: 90,
    }));
    rows.push({ sha256: h(7), size: 7, pack, offset: 99_999, length: 90 });
    await index.transaction(() => index.addPacked(rows, '2026-05-01T00:00:00.000Z'));
    expect((await index.all()).length).toBe(450);
    expect(await index.location(h(7))).toEqual({ size: 7, pack, offset: 99_999, length: 90 });
    // Asked about 453 hashes (two the hall lacks, one asked twice), the answer is per hash.
    const asked = [h(1), h(450), h(451), h(9999), h(1), ...Array.from({ length: 448 }, (_, i) => h(i + 2))];
    const held = await index.transaction(() => index.held(asked));
    expect(held.size).toBe(450);
    expect(held.has(h(451))).toBe(false);
    expect(held.has(h(9999))).toBe(false);
    const at = await index.locations(asked);
    expect(at.size).toBe(450);
    expect(at.get(h(450))).toEqual({ size: 450, pack, offset: 44_900, length: 90 });
    expect(at.get(h(9999))).toBeUndefined();
    expect((await index.held([])).size).toBe(0);
    await sql().run('DELETE FROM blobs');
  });

  it('blob index: a GC taking its candidates waits for a push that found one of them', async () => {
    const index = createBlobIndex(sql());
    const h = '8'.repeat(64);
    await index.add(h, 1, '2026-01-01T00:00:00.000Z');
    const order: string[] = [];
    let releasePush!: () => void;
    const pushHolds = new Promise<void>((resolve) => (releasePush = resolve));
    let pushFound!: () => void;
    const found = new Promise<void>((resolve) => (pushFound = resolve));
    // A push found the blob (FOR SHARE on PostgreSQL) and has not committed yet.
    const push = sql().transaction(async () => {
      expect(await index.size(h)).toBe(1);
      pushFound();
      await pushHolds;
      order.push('push committed');
    });
    await found;
    // SQLite: one transaction at a time on the connection; PostgreSQL: the row lock. Either way the
    // GC's transaction sees the push's work only after the push ends.
    const gc = sql().transaction(async () => {
      const old = await index.receivedBefore('2026-02-01T00:00:00.000Z');
      order.push('gc took the rows');
      for (const b of old) await index.remove(b.sha256);
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(order).toEqual([]);
    releasePush();
    await Promise.all([push, gc]);
    expect(order).toEqual(['push committed', 'gc took the rows']);
    expect(await index.size(h)).toBeUndefined();
  });

  it('case list: stale rows opened, listed, searched by keyed hash, lit and counted', async () => {
    const s = sql();
    const list = createCaseListStore(s);
    const entry = await s.value<number>(
      `INSERT INTO entries (kiosk_id, seq, kind, payload, payload_hash, status, received_at)
       VALUES ('K-1', 1, 'application', '{}', 'h', 'applied', 't') RETURNING id`,
    );
    const payload = JSON.stringify({
      submittedAt: '2026-03-02T01:00:00Z',
      promisedDays: 5,
      receiptNo: 'SX20260302000001',
      applicant: { name: '张三', idNumber: '610102199001011234' },
    });
    await s.run(
      `INSERT INTO applications (id, kiosk_id, entry_id, jurisdiction, item_code, status, payload, received_at, updated_at)
       VALUES ('A-1', 'K-1', ?, '610102', 'item-1', 'received', ?, '2026-03-02T01:00:05Z', '2026-03-02T01:00:05Z')`,
      [entry, s.seal(payload)],
    );
    // Inserted by hand, not through the cases store: its keys as that store writes them (migration 20).
    await s.run(
      'INSERT INTO case_keys (kind, hash, application_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      ['name', s.lookup('张三'), 'A-1'],
    );
    const stale = await list.stale(10);
    expect(stale).toEqual([
      { id: 'A-1', payload, actor: null, touched: 0, receivedAt: '2026-03-02T01:00:05Z' },
    ]);
    await list.setListed('A-1', {
      deadline: '2026-03-09',
      receipt: '2026-03-02',
      actor: null,
      at: 't',
      submittedAt: '2026-03-02T01:00:00.000Z',
      closedAt: null,
      inTime: null,
      openMs: null,
    });
    expect(await list.stale(10)).toEqual([]);
    expect(await list.record('A-1')).toEqual({ jurisdiction: '610102', payload });
    expect(await list.assignedTo('A-1')).toBeNull();
    const filter = {
      today: '2026-03-06',
      warn: '2026-03-09',
      closed: ['completed', 'refused'],
      jurisdictions: ['610102'],
      search: { kind: 'name', term: '张三' },
      statuses: null,
      item: null,
      windowItems: null,
      lights: ['warning'],
      from: null,
      before: null,
      assigned: 'unassigned' as const,
      sort: 'promised' as const,
      dir: 'asc' as const,
      after: null,
      limit: 5,
    };
    const [row] = await list.page(filter);
    expect(row).toMatchObject({
      id: 'A-1',
      kioskId: 'K-1',
      itemCode: 'item-1',
      light: 'warning',
      sortKey: '2026-03-09',
    });
    expect(list.open(row!.payload)).toBe(payload);
    expect(await list.page({ ...filter, search: { kind: 'name', term: '李四' } })).toEqual([]);
    expect(await list.page({ ...filter, windowItems: [] })).toEqual([]);
    expect(await list.page({ ...filter, after: { key: '2026-03-09', id: 'A-1' } })).toEqual([]);
    expect(
      await list.lightCounts({
        today: '2026-03-10',
        warn: '2026-03-12',
        closed: ['completed'],
        jurisdictions: ['610102'],
      }),
    ).toEqual([{ light: 'overdue', n: 1 }]);
    expect(
      await list.statsRows({
        jurisdictions: ['610102'],
        from: '2026-03-01T00:00:00Z',
        before: '2026-03-03T00:00:00Z',
      }),
    ).toEqual([
      {
        itemCode: 'item-1',
        status: 'received',
        cases: 1,
        closed: 0,
        timed: 0,
        onTime: 0,
        daysCounted: 0,
        openMs: null,
      },
    ]);
    expect(
      await list.supervisionIds({ jurisdictions: ['610102'], closed: null, after: null, limit: 5 }),
    ).toEqual([{ id: 'A-1', receivedAt: '2026-03-02T01:00:05Z' }]);
  });

  const entryOf = (seq: number) =>
    sql().value<number>(
      `INSERT INTO entries (kiosk_id, seq, kind, payload, payload_hash, status, received_at)
       VALUES ('K-2', ?, 'application', '{}', 'h', 'applied', 't') RETURNING id`,
      [seq],
    );

  it('cases: inserted with their keys, read back opened, relisted by a status change, an event, a supplement', async () => {
    const s = sql();
    const cases = createCaseStore(s);
    const payload = JSON.stringify(FULL_PAYLOAD);
    const at = '2026-03-02T01:00:00.000Z';
    await cases.insert({
      id: 'C-1',
      kioskId: 'K-2',
      entryId: (await entryOf(1))!,
      jurisdiction: '610104',
      itemCode: 'item-9',
      status: 'received',
      payload,
      at,
    });
    expect(await cases.exists('C-1')).toBe(true);
    expect(await cases.exists('C-2')).toBe(false);
    // Sealed at rest, opened on the way out.
    expect(await s.value('SELECT payload FROM applications WHERE id = ?', ['C-1'])).not.toContain('王');
    const summary = {
      id: 'C-1',
      kioskId: 'K-2',
      jurisdiction: '610104',
      itemCode: 'item-9',
      status: 'received',
      receivedAt: at,
      updatedAt: at,
    };
    expect(await cases.summary('C-1')).toEqual(summary);
    expect(await cases.record('C-1')).toEqual({ ...summary, payload });
    expect(await cases.records('610104')).toEqual([{ ...summary, payload }]);
    // The keys it is found by, hashed with the lookup key (each kind and value once).
    const keys = await s.all<{ kind: string; hash: string }>(
      'SELECT kind, hash FROM case_keys WHERE application_id = ? ORDER BY kind, hash',
      ['C-1'],
    );
    const expected = [
      'id:61010219900101123X',
      'name:王 五',
      'phone:13800000001',
      'phone:13900000002',
      'receipt:SX20260302000009',
    ].map((k) => {
      const [kind, value] = k.split(':') as [string, string];
      return { kind, hash: s.lookup(value) };
    });
    expect(keys).toEqual(
      [...expected].sort((a, b) => a.kind.localeCompare(b.kind) || a.hash.localeCompare(b.hash)),
    );

    const listedAtOf = () =>
      s.value<string | null>('SELECT listed_at FROM applications WHERE id = ?', ['C-1']);
    const list = () => s.run("UPDATE applications SET listed_at = 'x' WHERE id = ?", ['C-1']);
    await list();
    await cases.setStatus('C-1', 'accepted', '2026-03-02T02:00:00.000Z');
    expect(await listedAtOf()).toBeNull();
    expect((await cases.summaries('610104', 'accepted')).map((c) => [c.id, c.status, c.updatedAt])).toEqual([
      ['C-1', 'accepted', '2026-03-02T02:00:00.000Z'],
    ]);
    expect(await cases.summaries('610104', 'completed')).toEqual([]);
    expect((await cases.summaries('610104', null)).map((c) => c.id)).toEqual(['C-1']);
    expect((await cases.summaries('610102', null)).map((c) => c.id)).not.toContain('C-1');

    await list();
    await cases.addEvent({
      applicationId: 'C-1',
      at: '2026-03-02T02:00:00.000Z',
      staff: '王科员',
      action: 'accept',
      from: 'received',
      to: 'accepted',
      detail: { note: '请王五补充材料' },
    });
    expect(await listedAtOf()).toBeNull();
    expect(await cases.eventsOf('C-1')).toEqual([
      {
        at: '2026-03-02T02:00:00.000Z',
        staff: '王科员',
        action: 'accept',
        from: 'received',
        to: 'accepted',
        detail: JSON.stringify({ note: '请王五补充材料' }),
      },
    ]);
    expect(await cases.historyIn('610104')).toEqual([
      { appId: 'C-1', at: '2026-03-02T02:00:00.000Z', from: 'received', to: 'accepted' },
    ]);

    await list();
    const supplement = JSON.stringify({ id: 'S-1', note: '补正' });
    await cases.addSupplement({
      id: 'S-1',
      applicationId: 'C-1',
      entryId: (await entryOf(2))!,
      payload: supplement,
      at: '2026-03-03T01:00:00.000Z',
    });
    expect(await listedAtOf()).toBeNull();
    expect(await cases.supplementExists('S-1')).toBe(true);
    expect(await cases.supplementExists('S-2')).toBe(false);
    expect(await cases.supplementsOf('C-1')).toEqual([
      { id: 'S-1', payload: supplement, receivedAt: '2026-03-03T01:00:00.000Z' },
    ]);
    expect(await cases.supplementTimesOf('C-1')).toEqual(['2026-03-03T01:00:00.000Z']);
    expect(await cases.supplementTimesIn('610104')).toEqual([
      { appId: 'C-1', at: '2026-03-03T01:00:00.000Z' },
    ]);

    // A blob linked once, however often it is named.
    const sha = 'a'.repeat(64);
    await s.run("INSERT INTO blobs (sha256, size, received_at) VALUES (?, 1, 't')", [sha]);
    await cases.linkBlob('C-1', sha);
    await cases.linkBlob('C-1', sha);
    expect(
      await s.value<number>('SELECT count(*) FROM application_blobs WHERE application_id = ?', ['C-1']),
    ).toBe(1);
  });

  it('evaluations: given_at from the payload, counted by jurisdiction; a follow-up task opened once', async () => {
    const s = sql();
    const evaluations = createEvaluationStore(s);
    const payload = JSON.stringify({ createdAt: '2026-03-04 23:30:00+08:00', level: 'dissatisfied' });
    await evaluations.insert({
      id: 'V-1',
      kioskId: 'K-2',
      entryId: (await entryOf(3))!,
      targetKind: 'application',
      targetId: 'C-1',
      level: 'dissatisfied',
      payload,
      at: '2026-03-05T01:00:00.000Z',
    });
    expect(await evaluations.exists('V-1')).toBe(true);
    expect(await evaluations.exists('V-2')).toBe(false);
    expect(await s.value('SELECT given_at FROM evaluations WHERE id = ?', ['V-1'])).toBe(
      '2026-03-04T15:30:00.000Z',
    );
    const day = ['2026-03-04T00:00:00.000Z', '2026-03-05T00:00:00.000Z'] as const;
    expect(await evaluations.countsGivenIn(['610102', '610104'], ...day)).toEqual([
      { level: 'dissatisfied', n: 1 },
    ]);
    expect(await evaluations.countsGivenIn(['610102'], ...day)).toEqual([]);
    expect(await evaluations.countsGivenIn([], ...day)).toEqual([]);
    expect(
      await evaluations.countsGivenIn(['610104'], '2026-03-05T00:00:00.000Z', '2026-03-06T00:00:00.000Z'),
    ).toEqual([]);
    expect(await evaluations.inJurisdiction('610104')).toEqual([
      {
        id: 'V-1',
        targetKind: 'application',
        targetId: 'C-1',
        level: 'dissatisfied',
        payload,
        receivedAt: '2026-03-05T01:00:00.000Z',
        itemCode: 'item-9',
      },
    ]);
    expect(await evaluations.jurisdictionOfTarget('application', 'C-1', 'K-1')).toBe('610104');
    expect(await evaluations.jurisdictionOfTarget('application', 'nope', 'K-1')).toBe('610102');
    expect(await evaluations.jurisdictionOfTarget('ticket', 'C-1', 'K-1')).toBe('610102');
    expect(await evaluations.jurisdictionOfTarget('ticket', 'x', 'K-9')).toBeNull();

    for (let i = 0; i < 2; i++)
      await evaluations.openFollowup({
        evaluationId: 'V-1',
        jurisdiction: '610104',
        at: '2026-03-05T01:00:00.000Z',
      });
    const [task, ...more] = await evaluations.followups('610104', null);
    expect(more).toEqual([]);
    expect(task).toMatchObject({
      evaluationId: 'V-1',
      state: 'pending',
      extensionDays: 0,
      requestedDays: null,
      closedAt: null,
      level: 'dissatisfied',
      targetKind: 'application',
      payload,
      itemCode: 'item-9',
      windowCode: null,
      caseId: 'C-1',
      casePayload: JSON.stringify(FULL_PAYLOAD),
    });
    expect(await evaluations.followups('610104', 'done')).toEqual([]);
    await evaluations.updateFollowup({
      id: task!.id,
      state: 'extension-requested',
      extra: 2,
      requested: 3,
      at: '2026-03-06T01:00:00.000Z',
      closedAt: null,
    });
    expect(await evaluations.followup(task!.id)).toEqual({
      id: task!.id,
      jurisdiction: '610104',
      state: 'extension-requested',
      requestedDays: 3,
    });
    expect((await evaluations.followups('610104', 'extension-requested'))[0]?.extensionDays).toBe(2);
    await evaluations.addFollowupEvent({
      followupId: task!.id,
      at: '2026-03-06T01:00:00.000Z',
      staff: '王科员',
      action: 'request-extension',
      from: 'pending',
      to: 'extension-requested',
      detail: { days: 3 },
    });
    expect(await evaluations.followupEventsIn('610104')).toEqual([
      {
        followupId: task!.id,
        at: '2026-03-06T01:00:00.000Z',
        staff: '王科员',
        action: 'request-extension',
        from: 'pending',
        to: 'extension-requested',
        detail: '{"days":3}',
      },
    ]);
    expect(await evaluations.followupEventsIn('610102')).toEqual([]);
  });

  it('tickets: sealed, waiting per window, the earliest (priority) one first, called once', async () => {
    const s = sql();
    const tickets = createTicketStore(s);
    for (const [id, seq, at, priority] of [
      ['T-1', 4, 't1', null],
      ['T-2', 5, 't2', 'elderly'],
      ['T-3', 6, 't3', null],
    ] as const)
      await tickets.insert({
        id,
        kioskId: 'K-2',
        entryId: (await entryOf(seq))!,
        window: 'W',
        number: `W9${seq}`,
        serviceDate: '2026-03-06',
        payload: JSON.stringify({ id, name: '赵六' }),
        at,
        priority,
      });
    expect(await tickets.exists('T-1')).toBe(true);
    expect(await tickets.exists('T-9')).toBe(false);
    expect(await s.value('SELECT payload FROM tickets WHERE id = ?', ['T-1'])).not.toContain('赵六');
    expect(await tickets.waitingByWindow('2026-03-06')).toEqual([{ window: 'W', n: 3 }]);
    expect(await tickets.waitingByWindow('2026-03-07')).toEqual([]);
    expect(await tickets.waitingBefore('2026-03-06', 'W', 't3')).toBe(2);
    expect(await tickets.priorityWaitingBefore('2026-03-06', 'W', 't3')).toBe(1);
    expect(await tickets.priorityWaitingBefore('2026-03-06', 'W', 't1')).toBe(0);
    expect(await tickets.next('2026-03-06', 'W')).toEqual({ id: 'T-1', number: 'W94', at: 't1' });
    expect(await tickets.next('2026-03-06', 'W', true)).toEqual({ id: 'T-2', number: 'W95', at: 't2' });
    await tickets.call('T-1', 't4');
    expect(await tickets.next('2026-03-06', 'W')).toEqual({ id: 'T-2', number: 'W95', at: 't2' });
    expect(await tickets.waitingBefore('2026-03-06', 'W', 't9')).toBe(2);
    expect(await tickets.next('2026-03-06', 'X')).toBeUndefined();
  });

  // Last in this block: it moves the entries' ids past eight digits.
  it('entries: the insert writes the hall reference from the id it picks; a rejection clears it', async () => {
    const s = sql();
    const entries = createEntryStore(s);
    const base = { kioskId: 'K-1', kind: 'queue-ticket', payload: '{}', payloadHash: 'h', at: 'x' };
    const a = await entries.insert({
      ...base,
      seq: 901,
      status: 'applied',
      reason: null,
      referencePrefix: 'T',
    });
    expect(a.hallReference).toBe(`T-${String(a.id).padStart(8, '0')}`);
    expect(a.hallReference).toMatch(/^T-\d{8}$/);
    expect((await entries.get('K-1', 901))?.hallReference).toBe(a.hallReference);
    const b = await entries.insert({
      ...base,
      seq: 902,
      status: 'applied',
      reason: null,
      referencePrefix: '610102',
    });
    expect(b.id).toBeGreaterThan(a.id);
    expect(b.hallReference).toBe(`610102-${String(b.id).padStart(8, '0')}`);
    // Not applied after all: the reference goes with the status.
    await entries.markRejected(b.id, 'out of range: x');
    expect(await entries.get('K-1', 902)).toMatchObject({ status: 'rejected', hallReference: null });
    const r = await entries.insert({
      ...base,
      seq: 903,
      status: 'rejected',
      reason: 'bad',
      referencePrefix: null,
    });
    expect(r.hallReference).toBeNull();
    // A second row for one seq is refused, whichever node writes it.
    await expect(
      entries.insert({ ...base, seq: 901, status: 'applied', reason: null, referencePrefix: 'T' }),
    ).rejects.toThrow();
    // An id of nine digits is written whole, not cut to eight.
    if (engine === 'postgres')
      await s.run("SELECT setval(pg_get_serial_sequence('entries', 'id'), 123456788)");
    else
      await s.run(
        "INSERT INTO entries (id, kiosk_id, seq, kind, payload, payload_hash, status, received_at) VALUES (123456788, 'K-1', 904, 'x', '{}', 'h', 'rejected', 'x')",
      );
    const big = await entries.insert({
      ...base,
      seq: 905,
      status: 'applied',
      reason: null,
      referencePrefix: 'V',
    });
    expect(big).toEqual({ id: 123456789, hallReference: 'V-123456789' });
  });
});

it('works out the keys a case is found by from its plain payload (what migration 14’s trigger did)', () => {
  // The comparison with the trigger's own rows is migration-020.test.ts.
  expect(
    caseKeysOf(JSON.stringify(FULL_PAYLOAD))
      .map((k) => `${k.kind}:${k.value}`)
      .sort(),
  ).toEqual([
    'id:61010219900101123X',
    'name:王 五',
    'phone:13800000001',
    'phone:13800000001',
    'phone:13900000002',
    'receipt:SX20260302000009',
  ]);
  expect(
    caseKeysOf(JSON.stringify({ applicant: { name: '   ', idNumber: '' }, delivery: {}, form: {} })),
  ).toEqual([]);
  expect(caseKeysOf(JSON.stringify({ receiptNo: '' }))).toEqual([]);
  expect(caseKeysOf('not json')).toEqual([]);
});

describe('the change log on PostgreSQL', () => {
  it('gives out positions in commit order: a second writer waits for the first to commit', async () => {
    const sql = engines.postgres;
    const changes = createChangeStore(sql);
    const change = (key: string) => ({
      kioskId: null,
      stream: 'test',
      key,
      op: 'put' as const,
      version: 1,
      data: '{}',
      at: '2026-03-01T00:00:00Z',
    });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let firstPosition = 0;
    const first = sql.transaction(async () => {
      firstPosition = await changes.insertChange(change('first'));
      await gate;
    });
    while (firstPosition === 0) await new Promise((r) => setTimeout(r, 5));
    let secondDone = false;
    const second = changes.insertChange(change('second')).then((p) => {
      secondDone = true;
      return p;
    });
    await new Promise((r) => setTimeout(r, 200));
    // Without the lock the second would take position first + 1 and commit while the first is open.
    expect(secondDone).toBe(false);
    release();
    await first;
    expect(await second).toBe(firstPosition + 1);
    const visible = await sql.all<{ key: string }>(
      "SELECT key FROM changes WHERE stream = 'test' AND position >= ? ORDER BY position",
      [firstPosition],
    );
    expect(visible.map((r) => r.key)).toEqual(['first', 'second']);
  });
});
