/**
 * The live desk's event stream (GET /v1/staff/events; docs/sync-protocol.md, 8 "Live desk events") on
 * a real listening hall, read by a real SSE client over fetch: a desk of the case's jurisdiction hears
 * of a new case, a 即办件 resident held at a kiosk (with the deadline the countdown runs to), a 补正
 * supplement, status moves and a kiosk's help request; a desk of another jurisdiction hears none of
 * it; a reconnect with Last-Event-ID gets what it missed, one from another hall start is told to
 * resync; no token is 401, a role without case.read 403; keep-alive comments flow and the stream ends
 * when the hall closes.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeskEvent } from '../shared/desk-events.js';
import { startHallServer, type HallServer } from './server.js';
import type { Staff } from './staff.js';
import { openSse, type SseClient, type SseMessage } from './testing/sse-client.js';
import { applicationPayload, enrolKiosk, fixtureId, staffCall, storeBlob } from './testing/staff-fixture.js';

let dir: string;
let hall: HallServer;
let now: number;
const streams: SseClient[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-hall-live-'));
  now = Date.parse('2026-03-02T08:00:05.000Z');
  hall = await startHallServer(
    { host: '127.0.0.1', port: 0, dataDir: dir },
    { silent: true, clock: () => new Date(now), deskKeepAliveMs: 100 },
  );
});
afterEach(async () => {
  for (const s of streams.splice(0)) s.close();
  await hall.close();
  rmSync(dir, { recursive: true, force: true });
});

const url = () => new URL('v1/staff/events', hall.url).toString();
async function stream(token: string | null, lastEventId?: string): Promise<SseClient> {
  const s = await openSse(url(), {
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
  });
  streams.push(s);
  return s;
}
const event = (m: SseMessage) => JSON.parse(m.data) as DeskEvent;
const of =
  (type: DeskEvent['type'], pred: (e: DeskEvent) => boolean = () => true) =>
  (m: SseMessage) =>
    m.event === type && pred(event(m));

describe('GET /v1/staff/events', () => {
  it('tells a desk of its jurisdiction every new case, 即办件 wait, supplement, status move and help request — and another jurisdiction nothing', async () => {
    const mine = await stream(await hall.staff.createToken('窗口一', '610102'));
    const other = await stream(await hall.staff.createToken('外区', '610113'));
    expect([mine.status, other.status]).toEqual([200, 200]);
    await mine.waitFor(of('hello'));
    await other.waitFor(of('hello'));
    const kiosk = await enrolKiosk(hall, '610102');

    // A 承诺件: the case, the applicant masked.
    const promised = applicationPayload('live-promised');
    expect((await kiosk.push('application', promised)).status).toBe(200);
    const got = event(await mine.waitFor(of('case-received')));
    expect(got).toMatchObject({
      type: 'case-received',
      case: {
        id: promised.id,
        receiptNo: promised.receiptNo,
        kioskId: kiosk.id,
        caseType: 'promised',
        applicantMasked: '张*三',
      },
    });
    expect(JSON.stringify(mine.messages)).not.toContain('张小三');
    expect(mine.messages.some(of('immediate-waiting'))).toBe(false);

    // A 即办件 pushed 5 s after submitting: the kiosk holds the resident 55 s more.
    const immediate = applicationPayload('live-immediate', {
      caseType: 'immediate',
      submittedAt: '2026-03-02T08:00:00.000Z',
    });
    expect((await kiosk.push('application', immediate)).status).toBe(200);
    const waiting = event(
      await mine.waitFor(
        of('immediate-waiting', (e) => e.type === 'immediate-waiting' && e.case.id === immediate.id),
      ),
    );
    expect(waiting).toMatchObject({ kioskId: kiosk.id, deadline: '2026-03-02T08:01:00.000Z' });

    // A 即办件 that reaches the hall after the resident has gone is a new case, nobody waiting.
    now = Date.parse('2026-03-02T08:05:00.000Z');
    const late = applicationPayload('live-late', {
      caseType: 'immediate',
      submittedAt: '2026-03-02T08:03:00.000Z',
    });
    await kiosk.push('application', late);
    await mine.waitFor(of('case-received', (e) => e.type === 'case-received' && e.case.id === late.id));

    // 补正 asked at the desk (a status move), then the kiosk sends the pages.
    const token = await hall.staff.createToken('窗口一', '610102');
    const asked = await staffCall(hall, token, 'POST', `/v1/staff/cases/${promised.id}/actions`, {
      action: 'request-correction',
      materials: ['sfz'],
    });
    expect(asked.status).toBe(200);
    await mine.waitFor(
      of('case-status', (e) => e.type === 'case-status' && e.status === 'correction-requested'),
    );
    const sha = await storeBlob(hall, Buffer.from('a supplemented page'));
    const pushed = await kiosk.push('supplement', {
      id: fixtureId('live-supplement'),
      applicationId: promised.id,
      receiptNo: promised.receiptNo,
      submittedAt: '2026-03-02T08:06:00.000Z',
      attachments: [{ materialCode: 'sfz', sha256: sha, size: 19, position: 0, mime: 'image/jpeg' }],
    });
    expect(JSON.stringify(pushed.body)).toContain('applied');
    expect(event(await mine.waitFor(of('supplement-received')))).toMatchObject({
      caseId: promised.id,
      receiptNo: promised.receiptNo,
      kioskId: kiosk.id,
    });
    await mine.waitFor(
      of('case-status', (e) => e.type === 'case-status' && e.status === 'supplement-received'),
    );

    // A help request from the kiosk.
    const helpId = randomUUID();
    const raised = await hall.help.request(
      { id: kiosk.id, jurisdiction: '610102' },
      { id: helpId, step: 'apply', since: new Date(now).toISOString(), consent: false },
    );
    expect(raised.status).toBeLessThan(300);
    expect(event(await mine.waitFor(of('help-request')))).toMatchObject({
      requestId: helpId,
      kioskId: kiosk.id,
      step: 'apply',
      state: 'waiting',
    });

    // Every event has an id of this hall start, counting up.
    const ids = mine.messages.map((m) => Number(m.id?.split('-').pop()));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    // Keep-alive comments flow (every 100 ms in this test).
    await mine.waitFor(() => mine.comments.includes('keep-alive'), 2000).catch(() => undefined);
    expect(mine.comments).toContain('keep-alive');

    // The other jurisdiction's desk heard nothing but its hello.
    expect(other.messages.map((m) => m.event)).toEqual(['hello']);
  });

  it('replays what a reconnecting desk missed after its Last-Event-ID; an id of another hall start gets resync', async () => {
    const token = await hall.staff.createToken('窗口一', '610102');
    const kiosk = await enrolKiosk(hall, '610102');
    const first = await stream(token);
    const a = applicationPayload('replay-a');
    await kiosk.push('application', a);
    const seen = await first.waitFor(of('case-received'));
    first.close();

    const b = applicationPayload('replay-b');
    const c = applicationPayload('replay-c', { jurisdiction: '610113' });
    await kiosk.push('application', b);
    await kiosk.push('application', c);
    // Let the hub publish (the turn after the push's transaction).
    await new Promise((r) => setTimeout(r, 50));

    const again = await stream(token, seen.id ?? undefined);
    await again.waitFor(of('hello'));
    const replayed = again.messages.filter(of('case-received')).map((m) => event(m));
    // b only: a was seen, c is another jurisdiction's case.
    expect(replayed.map((e) => (e.type === 'case-received' ? e.case.id : ''))).toEqual([b.id]);

    const restarted = await stream(token, 'zzzzzzzz-12');
    expect(event(await restarted.waitFor(of('resync')))).toMatchObject({ reason: 'restarted' });
    expect(restarted.messages.some(of('case-received'))).toBe(false);
  });

  it('refuses a request without a token (401) and a role without case.read (403)', async () => {
    const none = await stream(null);
    expect(none.status).toBe(401);
    // An 管理员 account (no case.read) — until sign-in sessions land, a staff member with roles is
    // what authenticate() answers for this header.
    const authenticate = hall.staff.authenticate;
    hall.staff.authenticate = async (h) =>
      h === 'Bearer admin-account-000000000000'
        ? ({
            name: 'admin',
            jurisdiction: '610102',
            jurisdictions: ['610102'],
            roles: ['admin'],
          } satisfies Staff)
        : authenticate(h);
    const admin = await stream('admin-account-000000000000');
    expect(admin.status).toBe(403);
  });

  it('ends the stream when the hall closes; after the restart the desk is told to resync', async () => {
    const token = await hall.staff.createToken('窗口一', '610102');
    const s = await stream(token);
    const hello = await s.waitFor(of('hello'));
    const closed = hall.close();
    await s.ended;
    await closed;
    hall = await startHallServer(
      { host: '127.0.0.1', port: 0, dataDir: dir },
      { silent: true, clock: () => new Date(now) },
    );
    const back = await stream(token, hello.id ?? undefined);
    expect(back.status).toBe(200);
    expect(event(await back.waitFor(of('resync')))).toMatchObject({ reason: 'restarted' });
  });
});
