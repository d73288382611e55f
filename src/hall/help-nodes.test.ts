/**
 * 呼叫帮助 across hall nodes (issue #11; docs/sync-protocol.md, 5d): two real hall servers sharing
 * one data directory (one hall.db) whose notifiers are PostgreSQL LISTEN/NOTIFY on one real
 * throwaway cluster. A kiosk raises help on node A; a desk on node B sees it, answers it and sends
 * the offer (an SDP far above NOTIFY's 8000-byte limit) and candidates, which the kiosk's long-poll on
 * A receives in order; the kiosk's answer and candidates — some landing on B, as a load balancer
 * would send them — reach the desks on both nodes in order, each exactly once; signals posted at
 * both nodes at once are numbered without a gap or a repeat; the hang-up on B ends the kiosk's call
 * on A. A forged notification changes nothing.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { HelpSignal, StaffHelpEvent } from '../shared/help.js';
import { createHelpCalls, createTransport, type HelpCalls } from '../sync/index.js';
import type { HallServer } from './server.js';
import { startHallNodes, type HallNodes } from './testing/hall-nodes.js';
import { silentLogger } from '../sync/testing/fake-fetch.js';
import { enrolWithService } from './testing/enrol.js';
import { openSse, type SseClient } from './testing/sse-client.js';
import { staffCall } from './testing/staff-fixture.js';

let nodes: HallNodes;
let hallA: HallServer;
let hallB: HallServer;
const streams: SseClient[] = [];

beforeAll(async () => {
  nodes = await startHallNodes({ prefix: 'zizhu-help-nodes-', sharedStore: true });
  ({ a: hallA, b: hallB } = nodes);
}, 60_000);

afterAll(async () => {
  for (const s of streams.splice(0)) s.close();
  await nodes?.close();
});

/** A kiosk's real signed transport to one node. */
function kioskOn(hall: HallServer, e: { kioskId: string; secret: string }): HelpCalls {
  const transport = createTransport({
    hallUrl: hall.url,
    credentials: { kioskId: e.kioskId, secret: e.secret },
    clock: () => new Date(),
    logger: silentLogger,
  });
  return createHelpCalls({ transport });
}

async function helpStream(hall: HallServer, token: string): Promise<SseClient> {
  const s = await openSse(new URL('v1/staff/help/events', hall.url).toString(), {
    authorization: `Bearer ${token}`,
  });
  streams.push(s);
  expect(s.status).toBe(200);
  await s.waitFor((m) => (JSON.parse(m.data) as StaffHelpEvent).type === 'requests');
  return s;
}
const events = (s: SseClient) => s.messages.map((m) => JSON.parse(m.data) as StaffHelpEvent);
const signalsOf = (s: SseClient, id: string) =>
  events(s).flatMap((e) =>
    e.type === 'signal' && e.requestId === id ? [{ seq: e.seq, signal: e.signal }] : [],
  );

/** The kiosk's long-poll, repeated until `count` signals after `after` arrived (bounded). */
async function kioskReceives(k: HelpCalls, id: string, count: number) {
  const got: { seq: number; signal: HelpSignal }[] = [];
  let state = '';
  for (let round = 0; round < 50 && got.length < count; round++) {
    const r = await k.signals(id, got.at(-1)?.seq ?? 0, 5000);
    if (!r.ok) throw new Error(`signals failed: ${JSON.stringify(r.error)}`);
    got.push(...r.value.signals);
    state = r.value.state;
  }
  return { got, state };
}

it('kiosk on node A, desk on node B: the call is set up and ended, every signal in order and once', async () => {
  const enrolled = await enrolWithService(hallA.service, '610102');
  const kioskA = kioskOn(hallA, enrolled);
  const kioskB = kioskOn(hallB, enrolled);
  const token = await hallB.staff.createToken('王科员', '610102');
  const deskB = await helpStream(hallB, token);
  const deskA = await helpStream(hallA, await hallA.staff.createToken('李科员', '610102'));

  // Raised on A, seen live on B.
  const id = randomUUID();
  const raised = await kioskA.request({ id, step: 'apply', since: new Date().toISOString(), consent: false });
  expect(raised).toMatchObject({ ok: true, value: { id, state: 'waiting' } });
  await deskB.waitFor((m) => {
    const e = JSON.parse(m.data) as StaffHelpEvent;
    return e.type === 'request' && e.request.id === id && e.request.state === 'waiting';
  }, 10_000);

  // The kiosk waits on A; staff answer on B: the answer wakes the kiosk's long-poll on A.
  const waiting = kioskA.signals(id, 0, 10_000);
  expect(await staffCall(hallB, token, 'POST', `/v1/staff/help/${id}/answer`)).toMatchObject({
    status: 200,
    body: { state: 'answered', staff: '王科员' },
  });
  expect(await waiting).toEqual({ ok: true, value: { state: 'answered', signals: [] } });

  // Staff on B: an offer far above NOTIFY's 8000-byte payload limit, then candidates.
  const offer: HelpSignal = { type: 'offer', sdp: `v=0\r\n${'a=candidate-line '.repeat(900)}` };
  expect(offer.type === 'offer' && offer.sdp.length).toBeGreaterThan(12_000);
  const toKiosk: HelpSignal[] = [
    offer,
    ...[1, 2, 3].map((i) => ({
      type: 'candidate' as const,
      candidate: `candidate:${i} 1 udp 2122260223 192.168.1.${i} 5400${i} typ host`,
      sdpMid: '0',
      sdpMLineIndex: 0,
    })),
  ];
  for (const [i, signal] of toKiosk.entries())
    expect(await staffCall(hallB, token, 'POST', `/v1/staff/help/${id}/signals`, { signal })).toMatchObject({
      status: 200,
      body: { seq: i + 1 },
    });
  const received = await kioskReceives(kioskA, id, 4);
  expect(received.got).toEqual(toKiosk.map((signal, i) => ({ seq: i + 1, signal })));

  // The kiosk answers and sends candidates; one of them lands on B (a load balancer's choice).
  const toStaff: HelpSignal[] = [
    { type: 'answer', sdp: `v=0\r\n${'a=answer-line '.repeat(700)}` },
    {
      type: 'candidate',
      candidate: 'candidate:7 1 udp 1 10.0.0.7 6000 typ host',
      sdpMid: '0',
      sdpMLineIndex: 0,
    },
    {
      type: 'candidate',
      candidate: 'candidate:8 1 udp 1 10.0.0.8 6000 typ host',
      sdpMid: '0',
      sdpMLineIndex: 0,
    },
  ];
  expect(await kioskA.signal(id, toStaff[0] as HelpSignal)).toEqual({ ok: true, value: 1 });
  expect(await kioskB.signal(id, toStaff[1] as HelpSignal)).toEqual({ ok: true, value: 2 });
  expect(await kioskA.signal(id, toStaff[2] as HelpSignal)).toEqual({ ok: true, value: 3 });
  const wanted = toStaff.map((signal, i) => ({ seq: i + 1, signal }));
  await deskB.waitFor(() => signalsOf(deskB, id).length >= 3, 10_000);
  await deskA.waitFor(() => signalsOf(deskA, id).length >= 3, 10_000);

  // At both nodes at once (the desk's trickle split over two nodes): numbered 5…14, no gap, no repeat.
  const burst = Array.from({ length: 10 }, (_, i): HelpSignal => ({
    type: 'candidate',
    candidate: `candidate:b${i} 1 udp 1 10.1.0.${i} 7000 typ host`,
    sdpMid: '0',
    sdpMLineIndex: 0,
  }));
  const acks = await Promise.all(
    burst.map(async (signal, i) =>
      staffCall(
        i % 2 === 0 ? hallA : hallB,
        i % 2 === 0 ? await hallA.staff.createToken('李科员', '610102') : token,
        'POST',
        `/v1/staff/help/${id}/signals`,
        { signal },
      ),
    ),
  );
  expect(acks.map((a) => a.status)).toEqual(burst.map(() => 200));
  expect(acks.map((a) => a.body.seq as number).sort((x, y) => x - y)).toEqual(burst.map((_, i) => i + 5));
  const after = await kioskReceives(kioskA, id, 14);
  expect(after.got.map((s) => s.seq)).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
  // Each signal is the one acknowledged under its number.
  for (const a of acks)
    expect(after.got.find((s) => s.seq === a.body.seq)?.signal).toEqual(burst[acks.indexOf(a)]);

  // A forged notification (any database client may NOTIFY) names nothing new: nothing is sent twice.
  const forger = new pg.Client({ connectionString: nodes.cluster.url });
  await forger.connect();
  try {
    await forger.query(`SELECT pg_notify('zizhu_help', $1)`, [
      `evil:${JSON.stringify({ o: 'evil', r: id, k: 'signal', d: 'to-staff', s: 1 })}`,
    ]);
    await forger.query(`SELECT pg_notify('zizhu_help', $1)`, ['evil:not json']);
  } finally {
    await forger.end();
  }

  // Staff hang up on B: the kiosk's long-poll on A ends with the hang-up and the closed state.
  expect((await staffCall(hallB, token, 'POST', `/v1/staff/help/${id}/close`)).body).toMatchObject({
    state: 'closed',
  });
  const last = await kioskReceives(kioskA, id, 15);
  expect(last.state).toBe('closed');
  expect(last.got.at(-1)).toEqual({ seq: 15, signal: { type: 'hangup' } });
  await deskA.waitFor((m) => {
    const e = JSON.parse(m.data) as StaffHelpEvent;
    return e.type === 'request' && e.request.id === id && e.request.state === 'closed';
  }, 10_000);

  // Let any duplicate (a node's own notification coming back, the forged one) arrive, then count.
  await new Promise((r) => setTimeout(r, 500));
  expect(signalsOf(deskB, id)).toEqual(wanted);
  expect(signalsOf(deskA, id)).toEqual(wanted);
});

it('a node whose connection to the others was cut refreshes its desks and catches the signals up, once', async () => {
  const enrolled = await enrolWithService(hallA.service, '610113');
  const kioskA = kioskOn(hallA, enrolled);
  const token = await hallB.staff.createToken('赵科员', '610113');
  const deskB = await helpStream(hallB, token);
  const id = randomUUID();
  expect(
    await kioskA.request({ id, step: 'queue', since: new Date().toISOString(), consent: false }),
  ).toMatchObject({
    ok: true,
  });
  expect((await staffCall(hallB, token, 'POST', `/v1/staff/help/${id}/answer`)).status).toBe(200);
  const refreshesBefore = events(deskB).filter((e) => e.type === 'requests').length;

  // Cut every listening connection; what A tells meanwhile is lost for B.
  expect(await nodes.cluster.cutListeners()).toBeGreaterThanOrEqual(2);
  const answer: HelpSignal = { type: 'answer', sdp: 'v=0 answer while cut' };
  expect(await kioskA.signal(id, answer)).toEqual({ ok: true, value: 1 });
  expect(await nodes.reconnected(10_000)).toBe(true);
  // On reconnecting, B re-sends its desk the open requests and passes on what it missed.
  await deskB.waitFor(
    () => events(deskB).filter((e) => e.type === 'requests').length > refreshesBefore,
    10_000,
  );
  await deskB.waitFor(() => signalsOf(deskB, id).length >= 1, 10_000);
  const latest = events(deskB)
    .filter((e) => e.type === 'requests')
    .at(-1);
  expect(latest?.type === 'requests' && latest.requests.map((r) => r.id)).toContain(id);

  // And live again afterwards; nothing twice.
  const candidate: HelpSignal = {
    type: 'candidate',
    candidate: 'candidate:1 1 udp 1 10.0.0.1 1 typ host',
    sdpMid: '0',
    sdpMLineIndex: 0,
  };
  expect(await kioskA.signal(id, candidate)).toEqual({ ok: true, value: 2 });
  await deskB.waitFor(() => signalsOf(deskB, id).length >= 2, 10_000);
  await new Promise((r) => setTimeout(r, 300));
  expect(signalsOf(deskB, id)).toEqual([
    { seq: 1, signal: answer },
    { seq: 2, signal: candidate },
  ]);
});

it('a kiosk on node A hears that staff are on duty when the only desk open is on node B, and when it closes', async () => {
  const enrolled = await enrolWithService(hallA.service, '610112');
  const kioskA = kioskOn(hallA, enrolled);
  const id = randomUUID();
  const raised = await kioskA.request({ id, step: 'home', since: new Date().toISOString(), consent: false });
  expect(raised).toMatchObject({ ok: true, value: { onDuty: false } });

  const deskB = await helpStream(hallB, await hallB.staff.createToken('钱科员', '610112'));
  const dutyOnA = async (want: boolean) => {
    // Bounded: the other node's notification arrives within milliseconds; 10 s at most.
    for (let i = 0; i < 200; i++) {
      const s = await kioskA.status(id);
      if (s.ok && s.value.onDuty === want) return true;
      await new Promise((r) => setTimeout(r, 50));
    }
    return false;
  };
  expect(await dutyOnA(true)).toBe(true);
  deskB.close();
  expect(await dutyOnA(false)).toBe(true);
});
