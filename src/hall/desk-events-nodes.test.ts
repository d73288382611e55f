/**
 * The live desk across hall nodes (issue #11, item 2): two real hall servers whose notifiers are
 * PostgreSQL LISTEN/NOTIFY on one real throwaway cluster. A desk connected to node B hears what a
 * kiosk pushed to node A (a new case, a 即办件 resident held, a help request) exactly once, a desk of
 * another jurisdiction hears nothing, node A's own desk hears it once (its own notification coming
 * back is not a second event), and when B's listening connection is cut its desks are told to
 * `resync`, since what A published meanwhile is unknown.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DeskEvent } from '../shared/desk-events.js';
import type { HallServer } from './server.js';
import { startHallNodes, type HallNodes } from './testing/hall-nodes.js';
import { openSse, type SseClient, type SseMessage } from './testing/sse-client.js';
import { applicationPayload, enrolKiosk } from './testing/staff-fixture.js';

let nodes: HallNodes;
let hallA: HallServer;
let hallB: HallServer;
const streams: SseClient[] = [];

beforeAll(async () => {
  nodes = await startHallNodes({
    prefix: 'zizhu-desk-nodes-',
    sharedStore: false,
    server: { deskKeepAliveMs: 200 },
  });
  ({ a: hallA, b: hallB } = nodes);
}, 60_000);

afterAll(async () => {
  for (const s of streams.splice(0)) s.close();
  await nodes?.close();
});

async function desk(hall: HallServer, jurisdiction: string): Promise<SseClient> {
  const token = await hall.staff.createToken(`desk ${jurisdiction}`, jurisdiction);
  const s = await openSse(new URL('v1/staff/events', hall.url).toString(), {
    authorization: `Bearer ${token}`,
  });
  streams.push(s);
  expect(s.status).toBe(200);
  await s.waitFor((m) => m.event === 'hello');
  return s;
}
const event = (m: SseMessage) => JSON.parse(m.data) as DeskEvent;
const caseEvents = (s: SseClient, type: DeskEvent['type'], caseId: string) =>
  s.messages.filter((m) => m.event === type && m.data.includes(caseId));

it("a desk on node B hears of the case a kiosk pushed to node A, once; another jurisdiction hears nothing; A's desk once", async () => {
  const onB = await desk(hallB, '610102');
  const otherOnB = await desk(hallB, '610113');
  const onA = await desk(hallA, '610102');
  const kiosk = await enrolKiosk(hallA, '610102');

  const immediate = applicationPayload('nodes-immediate', {
    caseType: 'immediate',
    submittedAt: new Date().toISOString(),
    promisedDate: new Date(Date.now() + 86_400_000).toISOString().slice(0, 10),
  });
  const pushed = await kiosk.push('application', immediate);
  expect(pushed.status).toBe(200);
  expect(JSON.stringify(pushed.body)).toContain('"applied"');
  const got = event(
    await onB.waitFor((m) => m.event === 'case-received' && m.data.includes(immediate.id), 10_000),
  );
  expect(got).toMatchObject({
    type: 'case-received',
    case: { id: immediate.id, receiptNo: immediate.receiptNo, kioskId: kiosk.id, caseType: 'immediate' },
  });
  // The applicant is masked on the wire between nodes as on the desk's stream.
  expect(JSON.stringify(onB.messages)).not.toContain('张小三');
  await onB.waitFor((m) => m.event === 'immediate-waiting' && m.data.includes(immediate.id), 10_000);
  await onA.waitFor((m) => m.event === 'immediate-waiting' && m.data.includes(immediate.id), 10_000);

  // A help request raised at node A reaches B's desk too.
  const helpId = randomUUID();
  const raised = await hallA.help.request(
    { id: kiosk.id, jurisdiction: '610102' },
    { id: helpId, step: 'apply', since: new Date().toISOString(), consent: false },
  );
  expect(raised.status).toBeLessThan(300);
  expect(event(await onB.waitFor((m) => m.event === 'help-request', 10_000))).toMatchObject({
    requestId: helpId,
    kioskId: kiosk.id,
  });
  // Let any duplicate (A's own notification coming back through PostgreSQL) arrive before counting.
  await onA.waitFor((m) => m.event === 'help-request', 10_000);
  await new Promise((r) => setTimeout(r, 500));
  expect(caseEvents(onB, 'case-received', immediate.id)).toHaveLength(1);
  expect(caseEvents(onA, 'case-received', immediate.id)).toHaveLength(1);
  expect(caseEvents(onA, 'immediate-waiting', immediate.id)).toHaveLength(1);
  expect(onA.messages.filter((m) => m.event === 'help-request')).toHaveLength(1);
  expect(otherOnB.messages.map((m) => m.event)).toEqual(['hello']);
});

it("node B's desks are told to resync when B's connection to the other nodes was cut", async () => {
  const onB = await desk(hallB, '610102');
  expect(await nodes.cluster.cutListeners()).toBeGreaterThanOrEqual(2);
  const resync = event(await onB.waitFor((m) => m.event === 'resync', 15_000));
  expect(resync).toMatchObject({ type: 'resync', reason: 'missed' });

  // And once reconnected, events flow again.
  expect(await nodes.reconnected(10_000)).toBe(true);
  const kiosk = await enrolKiosk(hallA, '610102');
  const after = applicationPayload('nodes-after');
  expect((await kiosk.push('application', after)).status).toBe(200);
  await onB.waitFor((m) => m.event === 'case-received' && m.data.includes(after.id), 10_000);
});
