/**
 * The 叫号 panel's routes on a real listening hall (docs/sync-protocol.md, 8 "叫号 panel"): today's
 * queue of a window holds the numbers handed out online and a kiosk's offline-range tickets in one
 * order; call next gives 优先号 first; 再次呼叫, 过号 and 转窗 move a ticket and are audited; a clerk
 * of another jurisdiction neither sees nor moves the ticket; a role without queue.call is refused.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeskQueueDone, DeskQueueView } from '../shared/desk-events.js';
import { sampleTicket } from '../shared/testing/wire-samples.js';
import { startHallServer, type HallServer } from './server.js';
import type { Staff } from './staff.js';
import { enrolKiosk, fixtureId, staffCall } from './testing/staff-fixture.js';

const DAY = '2026-03-02';
let dir: string;
let hall: HallServer;
let now: number;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-hall-queue-desk-'));
  now = Date.parse('2026-03-02T01:00:00Z'); // 09:00 in Asia/Shanghai: the service day is DAY
  hall = await startHallServer(
    { host: '127.0.0.1', port: 0, dataDir: dir },
    { silent: true, clock: () => new Date(now) },
  );
});
afterEach(async () => {
  await hall.close();
  rmSync(dir, { recursive: true, force: true });
});

const tick = () => {
  now += 60_000;
};

async function take(kioskId: string, name: string, priority?: 'elderly' | 'pregnant') {
  tick();
  const r = await hall.queue.take(kioskId, {
    id: fixtureId(name),
    idempotencyKey: `take-${name}`,
    window: 'ylsb',
    prefix: 'E',
    serviceDate: DAY,
    ...(priority ? { priority } : {}),
  });
  expect(r.status).toBe(200);
  return r.body as { id: string; number: string };
}

async function queueOf(token: string, window = 'ylsb'): Promise<DeskQueueView> {
  const r = await staffCall(hall, token, 'GET', `/v1/staff/queue?window=${window}`);
  expect(r.status).toBe(200);
  return r.body as unknown as DeskQueueView;
}
const next = (token: string, window = 'ylsb') =>
  staffCall(hall, token, 'POST', `/v1/staff/queue/${window}/next`, {});
const move = (token: string, id: string, what: string, body: unknown = {}) =>
  staffCall(hall, token, 'POST', `/v1/staff/queue/tickets/${id}/${what}`, body);
const number = (r: { body: Record<string, unknown> }) => (r.body as unknown as DeskQueueDone).ticket.number;

describe('叫号 panel', () => {
  it('calls priority numbers first across online and offline numbers; recall, skip and transfer are audited', async () => {
    const mine = await enrolKiosk(hall, '610102');
    const theirs = await enrolKiosk(hall, '610113');
    const clerk = await hall.staff.createToken('窗口五', '610102');
    const otherClerk = await hall.staff.createToken('外区窗口', '610113');

    const e001 = await take(mine.id, 'e001');
    const pe001 = await take(mine.id, 'pe001', 'elderly');
    const theirPriority = await take(theirs.id, 'their-p', 'pregnant');
    tick();
    // A ticket the kiosk numbered from its offline range, reported through the outbox.
    const offline = sampleTicket({ id: fixtureId('e900'), window: 'ylsb', number: 'E900', serviceDate: DAY });
    expect(JSON.stringify((await mine.push('queue-ticket', offline)).body)).toContain('applied');

    const day = await queueOf(clerk);
    expect(day.serviceDate).toBe(DAY);
    expect(day.windows[0]?.name?.zh).toBe('养老社保');
    const ylsb = day.windows[0];
    expect(ylsb?.tickets.map((t) => [t.number, t.source, t.state, t.priority])).toEqual([
      ['E001', 'online', 'waiting', null],
      ['PE001', 'online', 'waiting', 'elderly'],
      ['E900', 'offline', 'waiting', null],
    ]);
    // The other jurisdiction's number is not in my queue.
    expect(JSON.stringify(day)).not.toContain(theirPriority.number);

    // 优先号 first, then the earliest; the other jurisdiction's priority number is not mine to call.
    const first = await next(clerk);
    expect([first.status, number(first)]).toEqual([200, 'PE001']);
    expect((first.body as unknown as DeskQueueDone).waiting).toBe(2);
    tick();
    expect(number(await next(clerk))).toBe('E001');
    tick();
    expect(number(await next(clerk))).toBe('E900');
    expect((await next(clerk)).body).toMatchObject({ error: 'empty' });

    // 再次呼叫 and 过号.
    tick();
    const recalled = await move(clerk, offline.id, 'recall');
    expect(recalled.body).toMatchObject({ ticket: { number: 'E900', state: 'called', recalls: 1 } });
    const skipped = await move(clerk, e001.id, 'skip');
    expect(skipped.body).toMatchObject({ ticket: { number: 'E001', state: 'skipped' } });
    expect((await move(clerk, e001.id, 'skip')).status).toBe(409);
    const after = (await queueOf(clerk)).windows[0];
    expect(after?.current?.number).toBe('E900');

    // 转窗: waits again at the other window, in its original order.
    expect((await move(clerk, pe001.id, 'transfer', { window: 'ylsb' })).status).toBe(409);
    expect((await move(clerk, pe001.id, 'transfer', { window: 'nowhere' })).status).toBe(400);
    const sent = await move(clerk, pe001.id, 'transfer', { window: 'zzlb' });
    expect(sent.body).toMatchObject({
      ticket: { number: 'PE001', window: 'zzlb', state: 'waiting', transferredFrom: 'ylsb' },
    });
    // A number sent away after the last call: nobody is at the window now.
    expect((await queueOf(clerk)).windows[0]?.current).toBeNull();
    expect(number(await next(clerk, 'zzlb'))).toBe('PE001');

    // Another jurisdiction's clerk: my tickets do not exist for them; their call takes their own.
    for (const what of ['recall', 'skip', 'transfer'])
      expect((await move(otherClerk, offline.id, what, { window: 'zzlb' })).status).toBe(404);
    expect(number(await next(otherClerk))).toBe(theirPriority.number);
    expect((await queueOf(otherClerk)).windows[0]?.tickets.map((t) => t.number)).toEqual([
      theirPriority.number,
    ]);

    const audit = (await hall.audit.page({ jurisdictions: ['610102'] })).map((e) => [
      e.action,
      e.detail.number,
    ]);
    expect(audit.reverse()).toEqual([
      ['queue.call', 'PE001'],
      ['queue.call', 'E001'],
      ['queue.call', 'E900'],
      ['queue.recall', 'E900'],
      ['queue.skip', 'E001'],
      ['queue.transfer', 'PE001'],
      ['queue.call', 'PE001'],
    ]);
  });

  it('refuses without a token (401) and a role without queue.call (403)', async () => {
    const mine = await enrolKiosk(hall, '610102');
    const t = await take(mine.id, 'refused-e001');
    const authenticate = hall.staff.authenticate;
    // A 督查 account (no queue.call) — what authenticate() answers once sign-in sessions exist.
    hall.staff.authenticate = async (h) =>
      h === 'Bearer supervisor-account-0000000000'
        ? ({
            name: 'sup',
            jurisdiction: '610102',
            jurisdictions: ['610102'],
            roles: ['supervisor'],
          } satisfies Staff)
        : authenticate(h);
    const sup = 'supervisor-account-0000000000';
    expect((await staffCall(hall, null, 'GET', '/v1/staff/queue')).status).toBe(401);
    expect((await staffCall(hall, null, 'POST', '/v1/staff/queue/ylsb/next', {})).status).toBe(401);
    expect((await move('', t.id, 'recall')).status).toBe(401);
    for (const r of [
      await staffCall(hall, sup, 'GET', '/v1/staff/queue'),
      await next(sup),
      await move(sup, t.id, 'recall'),
      await move(sup, t.id, 'skip'),
      await move(sup, t.id, 'transfer', { window: 'zzlb' }),
    ])
      expect([r.status, r.body.error]).toEqual([403, 'forbidden']);
    // Nothing moved.
    const clerk = await hall.staff.createToken('窗口五', '610102');
    expect((await queueOf(clerk)).windows[0]?.tickets[0]?.state).toBe('waiting');
  });
});
