/**
 * The live desk (docs/sync-protocol.md, 8 "Live desk events"): what happens to a jurisdiction's cases
 * and kiosks — a case received, a 即办件 resident held at a kiosk, a supplement, a status change, a help
 * request — told to every open desk of that jurisdiction at once, over GET /v1/staff/events.
 *
 * Events are numbered `<epoch>-<n>`: the epoch is this hall start's, n counts up. The last
 * DESK_EVENT_BUFFER events are kept in memory, so a desk that reconnects with Last-Event-ID gets what
 * it missed; one from an earlier start (a restart lost the buffer) or from before the buffer is told
 * to `resync` (reload its lists). Nothing here is durable: the cases are, and a resync reads them.
 *
 * The services report from inside their transactions; an event is published on the next turn of
 * the loop and only if what it tells is still in the database (`stillTrue`), so a rolled-back push or
 * action never reaches a desk.
 *
 * With several hall nodes (issue #11, item 2; docs/deployment.md) a desk is connected to one node
 * while the kiosk pushed to another: every event published here also goes to the other nodes over
 * the hall notifier's `desk` channel (PostgreSQL LISTEN/NOTIFY), and theirs come in the same way and
 * are published here as if they had happened here (numbered in this node's sequence). A node that
 * may have missed some (its listening connection dropped) tells its open desks to `resync`.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { HallCaseStatus } from '../shared/case-status.js';
import {
  DESK_EVENT_BUFFER,
  DESK_EVENT_TYPES,
  IMMEDIATE_WAIT_SECONDS,
  parseDeskEventId,
  type DeskCaseRef,
  type DeskEvent,
} from '../shared/desk-events.js';
import { HALL_CHANNELS, type HallNotifier } from './notifier.js';

/**
 * Whether what an event tells is still in the database (its transaction kept it): a store read, so
 * a promise once the stores are async. Asked after the reporting transaction has ended — the caller
 * reports after awaiting it, or (SQLite) the read waits for the transaction holding the connection.
 */
export type StillTrue = () => boolean | Promise<boolean>;

/** What the hall's services tell the live desk (incoming.ts, case-updates.ts, help-desk.ts). */
export type DeskEventSink = {
  caseReceived(c: DeskCaseRef & { submittedAt: string; at: string }, stillTrue: StillTrue): void;
  supplementReceived(
    s: { caseId: string; receiptNo: string; kioskId: string; jurisdiction: string; at: string },
    stillTrue: StillTrue,
  ): void;
  caseStatus(
    s: { caseId: string; jurisdiction: string; status: HallCaseStatus; at: string },
    stillTrue: StillTrue,
  ): void;
  helpRequest(h: {
    requestId: string;
    kioskId: string;
    jurisdiction: string;
    step: string;
    state: string;
  }): void;
};

export type DeskDelivery = { id: string; event: DeskEvent };
type Buffered = DeskDelivery & { n: number; jurisdiction: string };
type Listener = { jurisdictions: readonly string[]; send: (d: DeskDelivery) => void };

/** What travels between nodes on the `desk` channel: origin (a node's epoch), jurisdiction, event. */
const crossNode = z.union([
  z.object({ o: z.string(), j: z.string(), e: z.object({ type: z.enum(DESK_EVENT_TYPES) }).passthrough() }),
  z.object({ o: z.string(), j: z.string(), resync: z.literal(true) }),
]);

export function createDeskEvents(deps: {
  clock: () => Date;
  epoch?: string;
  bufferSize?: number;
  /** Other hall nodes (notifier.ts); without it the events stay in this process. */
  notifier?: HallNotifier;
}) {
  const epoch = deps.epoch ?? randomBytes(6).toString('base64url');
  const size = deps.bufferSize ?? DESK_EVENT_BUFFER;
  const buffer: Buffered[] = [];
  const listeners = new Set<Listener>();
  let n = 0;
  const now = () => deps.clock().toISOString();
  const currentId = () => `${epoch}-${n}`;

  /** Published here and told to the other nodes. */
  function publish(jurisdiction: string, event: DeskEvent): void {
    publishHere(jurisdiction, event);
    const notifier = deps.notifier;
    if (!notifier) return;
    void notifier
      .publish(HALL_CHANNELS.desk, JSON.stringify({ o: epoch, j: jurisdiction, e: event }))
      .then((r) =>
        !r.ok && r.error === 'payload-too-large'
          ? notifier.publish(HALL_CHANNELS.desk, JSON.stringify({ o: epoch, j: jurisdiction, resync: true }))
          : r,
      );
  }
  function publishHere(jurisdiction: string, event: DeskEvent): void {
    n++;
    const b: Buffered = { id: currentId(), n, jurisdiction, event };
    buffer.push(b);
    if (buffer.length > size) buffer.shift();
    for (const l of listeners) if (l.jurisdictions.includes(jurisdiction)) l.send({ id: b.id, event });
  }
  /** After the reporting transaction: only what was kept. */
  function later(jurisdiction: string, events: () => DeskEvent[], stillTrue: StillTrue): void {
    setImmediate(() => {
      const check = async () => {
        if (!(await stillTrue())) return;
        for (const e of events()) publish(jurisdiction, e);
      };
      check().catch(() => {
        // The hall closed its database between the report and this check (shutting down): nobody is
        // listening any more, and an unhandled rejection here would take the process down with it.
      });
    });
  }

  const sink: DeskEventSink = {
    caseReceived(c, stillTrue) {
      const { submittedAt, at, ...ref } = c;
      later(
        c.jurisdiction,
        () => {
          const out: DeskEvent[] = [{ type: 'case-received', case: ref, at }];
          if (ref.caseType === 'immediate') {
            // The kiosk holds the resident IMMEDIATE_WAIT_SECONDS from submitting; what the push took
            // is already gone (clamped: a kiosk clock ahead of the hall's counts as no time at all).
            const waitMs = IMMEDIATE_WAIT_SECONDS * 1000;
            const elapsed = Math.min(Math.max(0, Date.parse(at) - Date.parse(submittedAt)), waitMs) || 0;
            if (elapsed < waitMs)
              out.push({
                type: 'immediate-waiting',
                case: ref,
                kioskId: ref.kioskId,
                deadline: new Date(Date.parse(at) + waitMs - elapsed).toISOString(),
                at,
              });
          }
          return out;
        },
        stillTrue,
      );
    },
    supplementReceived(s, stillTrue) {
      const { jurisdiction, ...rest } = s;
      later(jurisdiction, () => [{ type: 'supplement-received', ...rest }], stillTrue);
    },
    caseStatus(s, stillTrue) {
      later(
        s.jurisdiction,
        () => [{ type: 'case-status', caseId: s.caseId, status: s.status, at: s.at }],
        stillTrue,
      );
    },
    helpRequest(h) {
      const { jurisdiction, ...rest } = h;
      publish(jurisdiction, { type: 'help-request', ...rest, at: now() });
    },
  };

  /**
   * Opens one desk's stream: first `hello` (or `resync`) carrying the current id, then what it missed
   * since `lastEventId` (of its jurisdictions only), then live events. Returns the unsubscribe.
   */
  function subscribe(
    jurisdictions: readonly string[],
    lastEventId: string | undefined,
    send: (d: DeskDelivery) => void,
  ): () => void {
    const last = lastEventId === undefined ? null : parseDeskEventId(lastEventId);
    const oldest = buffer[0]?.n ?? n + 1;
    if (lastEventId !== undefined && (last === null || last.epoch !== epoch)) {
      send({ id: currentId(), event: { type: 'resync', reason: 'restarted', at: now() } });
    } else if (last !== null && last.n < oldest - 1) {
      send({ id: currentId(), event: { type: 'resync', reason: 'too-old', at: now() } });
    } else {
      if (last !== null)
        for (const b of buffer)
          if (b.n > last.n && jurisdictions.includes(b.jurisdiction)) send({ id: b.id, event: b.event });
      send({ id: currentId(), event: { type: 'hello', epoch, at: now() } });
    }
    const l: Listener = { jurisdictions, send };
    listeners.add(l);
    return () => listeners.delete(l);
  }

  /** Another node's event (its own come back too, and are dropped: they were published here). */
  function fromOtherNode(payload: string | null): void {
    if (payload === null) {
      // The connection to the other nodes dropped: what they published meanwhile is unknown.
      for (const l of listeners)
        l.send({ id: currentId(), event: { type: 'resync', reason: 'missed', at: now() } });
      return;
    }
    let parsed: z.infer<typeof crossNode>;
    try {
      const r = crossNode.safeParse(JSON.parse(payload));
      if (!r.success) return;
      parsed = r.data;
    } catch {
      return;
    }
    if (parsed.o === epoch) return;
    if ('resync' in parsed) {
      for (const l of listeners)
        if (l.jurisdictions.includes(parsed.j))
          l.send({ id: currentId(), event: { type: 'resync', reason: 'missed', at: now() } });
      return;
    }
    publishHere(parsed.j, parsed.e as DeskEvent);
  }
  const unsubscribeNodes = deps.notifier?.subscribe(HALL_CHANNELS.desk, fromOtherNode);

  return {
    sink,
    subscribe,
    publish,
    epoch,
    listenerCount: () => listeners.size,
    /** Stops hearing other nodes (the hall is closing). */
    close: () => unsubscribeNodes?.(),
  };
}

export type DeskEvents = ReturnType<typeof createDeskEvents>;
