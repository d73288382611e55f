/**
 * The live desk's hub (desk-events.ts) on its own: a reconnect older than the bounded buffer is told to
 * resync rather than handed a gap; what a rolled-back transaction reported is never published; a
 * 即办件 whose kiosk wait is over raises no countdown.
 */
import { describe, expect, it } from 'vitest';
import type { DeskCaseRef } from '../shared/desk-events.js';
import { createDeskEvents, type DeskDelivery } from './desk-events.js';
import { createInProcessNotifier, HALL_CHANNELS } from './notifier.js';

const clock = () => new Date('2026-03-02T08:00:10.000Z');
const ref = (id: string, caseType: DeskCaseRef['caseType'] = 'promised'): DeskCaseRef => ({
  id,
  receiptNo: `R-${id}`,
  itemCode: 'X1',
  jurisdiction: 'j1',
  kioskId: 'K-1',
  caseType,
  applicantMasked: '张*三',
});
const settle = () => new Promise((r) => setImmediate(r));

describe('desk events hub', () => {
  it('publishes nothing, and throws nothing, when the check runs after the hall closed its database', async () => {
    const hub = createDeskEvents({ clock, epoch: 'E0' });
    const seen: DeskDelivery[] = [];
    hub.subscribe(['j1'], undefined, (d) => seen.push(d));
    const thrown: unknown[] = [];
    const onUncaught = (e: unknown) => thrown.push(e);
    process.on('uncaughtException', onUncaught);
    try {
      hub.sink.caseReceived(
        { ...ref('z'), submittedAt: clock().toISOString(), at: clock().toISOString() },
        () => {
          throw new TypeError('The database connection is not open');
        },
      );
      await settle();
      await settle();
    } finally {
      process.off('uncaughtException', onUncaught);
    }
    expect(thrown).toEqual([]);
    expect(seen.map((d) => d.event.type)).toEqual(['hello']);
  });

  it('replays within the buffer, and tells a reconnect older than the buffer to resync', async () => {
    const hub = createDeskEvents({ clock, epoch: 'E1', bufferSize: 3 });
    const seen: DeskDelivery[] = [];
    hub.subscribe(['j1'], undefined, (d) => seen.push(d));
    for (const id of ['a', 'b', 'c', 'd', 'e'])
      hub.sink.caseReceived(
        { ...ref(id), submittedAt: clock().toISOString(), at: clock().toISOString() },
        () => true,
      );
    await settle();
    expect(seen.map((d) => d.id)).toEqual(['E1-0', 'E1-1', 'E1-2', 'E1-3', 'E1-4', 'E1-5']);

    const recent: DeskDelivery[] = [];
    hub.subscribe(['j1'], 'E1-3', (d) => recent.push(d));
    expect(recent.map((d) => d.event.type)).toEqual(['case-received', 'case-received', 'hello']);

    const old: DeskDelivery[] = [];
    hub.subscribe(['j1'], 'E1-1', (d) => old.push(d));
    expect(old.map((d) => d.event)).toMatchObject([{ type: 'resync', reason: 'too-old' }]);
    expect(old[0]?.id).toBe('E1-5');
  });

  it('publishes nothing a rolled-back transaction reported, and no countdown for a wait that is over', async () => {
    const hub = createDeskEvents({ clock, epoch: 'E2' });
    const seen: DeskDelivery[] = [];
    hub.subscribe(['j1'], undefined, (d) => seen.push(d));
    hub.sink.caseStatus(
      { caseId: 'x', jurisdiction: 'j1', status: 'accepted', at: clock().toISOString() },
      () => false,
    );
    // Submitted 70 s before it reached the hall: the kiosk stopped holding the resident at 60 s.
    hub.sink.caseReceived(
      { ...ref('late', 'immediate'), submittedAt: '2026-03-02T07:59:00.000Z', at: clock().toISOString() },
      () => true,
    );
    await settle();
    expect(seen.map((d) => d.event.type)).toEqual(['hello', 'case-received']);
  });
});

describe('desk events between hall nodes (one shared notifier standing for PostgreSQL)', () => {
  it("delivers another node's event once, drops its own coming back, ignores a wrong shape, and resyncs on an oversized event", async () => {
    const bus = createInProcessNotifier();
    const a = createDeskEvents({ clock, epoch: 'EA', notifier: bus });
    const b = createDeskEvents({ clock, epoch: 'EB', notifier: bus });
    const onA: DeskDelivery[] = [];
    const onB: DeskDelivery[] = [];
    const otherOnB: DeskDelivery[] = [];
    a.subscribe(['j1'], undefined, (d) => onA.push(d));
    b.subscribe(['j1'], undefined, (d) => onB.push(d));
    b.subscribe(['j2'], undefined, (d) => otherOnB.push(d));
    a.sink.caseReceived(
      { ...ref('x'), submittedAt: clock().toISOString(), at: clock().toISOString() },
      () => true,
    );
    await settle();
    await settle();
    const types = (l: DeskDelivery[]) => l.map((d) => d.event.type);
    expect(types(onA)).toEqual(['hello', 'case-received']);
    expect(types(onB)).toEqual(['hello', 'case-received']);
    expect(onB[1]!.id).toMatch(/^EB-/);
    expect(types(otherOnB)).toEqual(['hello']);

    await bus.publish(HALL_CHANNELS.desk, '{"not":"an event"}');
    await bus.publish(HALL_CHANNELS.desk, 'not json');
    expect(types(onB)).toHaveLength(2);

    // Too long to travel: the other node's desks reload instead.
    a.publish('j1', {
      type: 'help-request',
      requestId: 'r',
      kioskId: 'K',
      step: 'x'.repeat(2000),
      state: 'open',
      at: 'now',
    });
    await settle();
    await settle();
    expect(types(onA)).toEqual(['hello', 'case-received', 'help-request']);
    expect(onB.at(-1)!.event).toMatchObject({ type: 'resync', reason: 'missed' });
    expect(types(otherOnB)).toEqual(['hello']);
  });
});
