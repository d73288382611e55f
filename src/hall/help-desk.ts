/**
 * 呼叫帮助 at the hall (docs/sync-protocol.md, section 5d): kiosks raise help requests, the staff of
 * the kiosk's jurisdiction see them live and answer or close them, and the WebRTC signalling of the
 * video call is relayed between the two.
 *
 * The relay keeps, per request, two numbered logs (to the kiosk, to the staff). With one hall node
 * they live in memory (worthless after the call, never stored). With several nodes (issue #11; a
 * notifier that reaches other nodes is given) the kiosk's requests may land on node A while the
 * desk's event stream is held by node B: the logs are then rows of `help_signals` (hall migration
 * 18), numbered by the database whichever node took the signal, and every change is told to the
 * other nodes on the notifier's `help` channel as ids only — `{o, r, k, d, s}` (origin node,
 * request, `request` | `signal`, direction, number), zod-checked, own echo dropped. A node hearing
 * of a signal reads that direction's log after the last number it passed on, so its desks get each
 * signal once and in order, however notifications arrive; a node that may have missed notifications
 * (its listening connection dropped) re-sends its desks the open requests and catches every log up.
 * The rows of a call go a minute after it ended.
 *
 * Who may see what: a kiosk only its own requests (another kiosk's id answers 404, as does a
 * missing one); staff only their jurisdiction's (属地, as for cases). "On duty" means that at least
 * one member of staff of that jurisdiction has the help event stream open right now.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import {
  describeIssues,
  helpRequestBodySchema,
  helpSignalBodySchema,
  helpSignalSchema,
  type HelpSignal,
  type HelpSignalsResponse,
  type HelpStatus,
  type RelayedSignal,
  type StaffHelpEvent,
  type StaffHelpRequest,
} from '../shared/wire/index.js';
import { badRequest, hallError, notFound, type HttpAnswer } from './answers.js';
import type { DeskEventSink } from './desk-events.js';
import { HALL_CHANNELS, type HallNotifier } from './notifier.js';
import { staffCovers, type Staff } from './staff.js';
import {
  createHelpStore,
  hallSqlOf,
  type HallDatabase,
  type HelpRow,
  type HelpStore,
  type SignalDirection,
} from './store/index.js';

type KioskRef = { id: string; jurisdiction: string };

/** Where a request's signalling is kept: each direction numbered from 1. */
type SignalLog = {
  append(id: string, direction: SignalDirection, signal: HelpSignal): Promise<number>;
  after(id: string, direction: SignalDirection, n: number): Promise<RelayedSignal[]>;
  forget(id: string): Promise<void>;
};

/** One node: in memory, as before several nodes existed. */
function memoryLog(): SignalLog {
  const logs = new Map<string, Record<SignalDirection, RelayedSignal[]>>();
  const of = (id: string) => {
    let l = logs.get(id);
    if (!l) {
      l = { 'to-kiosk': [], 'to-staff': [] };
      logs.set(id, l);
    }
    return l;
  };
  return {
    append(id, direction, signal) {
      const l = of(id)[direction];
      l.push({ seq: l.length + 1, signal });
      return Promise.resolve(l.length);
    },
    after: (id, direction, n) => Promise.resolve((logs.get(id)?.[direction] ?? []).filter((s) => s.seq > n)),
    forget: (id) => {
      logs.delete(id);
      return Promise.resolve();
    },
  };
}

/** Several nodes: the `help_signals` table, read back through the wire schema. */
function sharedLog(store: HelpStore, clock: () => Date): SignalLog {
  return {
    append: (id, direction, signal) =>
      store.appendSignal(id, direction, JSON.stringify(signal), clock().toISOString()),
    async after(id, direction, n) {
      const out: RelayedSignal[] = [];
      for (const row of await store.signalsAfter(id, direction, n)) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(row.signal);
        } catch {
          parsed = null;
        }
        const r = helpSignalSchema.safeParse(parsed);
        // A row that is not a signal (cannot come from the routes, which check it) ends the run
        // there, so nothing after it is delivered out of order.
        if (!r.success) break;
        out.push({ seq: row.seq, signal: r.data });
      }
      return out;
    },
    forget: (id) => store.dropSignals(id),
  };
}

/** Jurisdictions per `duty` notification (12-digit codes: well under the payload limit). */
const DUTY_PART = 40;
/** How often a node re-tells its duty; another node's entry counts for three of these. */
const DUTY_REFRESH_MS = 10_000;

/** What travels between nodes on the `help` channel (ids only; any database client may NOTIFY). */
const crossNode = z.union([
  z.object({ o: z.string().max(64), r: z.string().max(64), k: z.literal('request') }),
  z.object({ o: z.string().max(64), k: z.literal('duty'), j: z.array(z.string().max(16)).max(DUTY_PART) }),
  z.object({ o: z.string().max(64), k: z.literal('off'), j: z.array(z.string().max(16)).max(DUTY_PART) }),
  z.object({ o: z.string().max(64), k: z.literal('hello') }),
  z.object({
    o: z.string().max(64),
    r: z.string().max(64),
    k: z.literal('signal'),
    d: z.enum(['to-kiosk', 'to-staff']),
    s: z.number().int().min(1),
  }),
]);
/** How long the signals of a finished call are kept (a last long-poll may still fetch the hang-up). */
const FINISHED_KEEP_MS = 60_000;

type Listener = { jurisdictions: readonly string[]; send: (e: StaffHelpEvent) => void };

const view = (r: HelpRow): StaffHelpRequest => ({
  id: r.id,
  kioskId: r.kioskId,
  step: r.step,
  since: r.since,
  createdAt: r.createdAt,
  state: r.state,
  residentName: r.residentName,
  staff: r.staff,
});

export function createHelpDesk(deps: {
  db: HallDatabase;
  clock: () => Date;
  /** The live desk (desk-events.ts): told of each request's change too. */
  desk?: Pick<DeskEventSink, 'helpRequest'>;
  /**
   * Other hall nodes (notifier.ts, a PostgreSQL notifier): the signalling is then kept in the shared
   * store and told across nodes. Without it, one node: in memory.
   */
  notifier?: HallNotifier;
  /** This node's tag on the `help` channel (default random). */
  nodeId?: string;
}) {
  const { db, clock, notifier } = deps;
  const store = createHelpStore(hallSqlOf(db));
  const listeners = new Set<Listener>();
  const log: SignalLog = notifier ? sharedLog(store, clock) : memoryLog();
  const nodeId = deps.nodeId ?? randomBytes(6).toString('base64url');
  /** Kiosk long-polls waiting per request. */
  const waiters = new Map<string, Set<() => void>>();
  /** Per request, the last to-staff signal this node passed on to its desks. */
  const toStaffSent = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();

  const wakeKiosk = (id: string) => {
    for (const w of [...(waiters.get(id) ?? [])]) w();
  };
  const broadcast = (jurisdiction: string, e: StaffHelpEvent) => {
    for (const l of listeners) if (l.jurisdictions.includes(jurisdiction)) l.send(e);
  };
  /** Tells the other nodes (ids only); a failure is the notifier's to report, and a delay here. */
  const tell = (
    m:
      | { r: string; k: 'request' }
      | { r: string; k: 'signal'; d: SignalDirection; s: number }
      | { k: 'duty' | 'off'; j: string[] }
      | { k: 'hello' },
  ) => {
    if (notifier) void notifier.publish(HALL_CHANNELS.help, JSON.stringify({ o: nodeId, ...m }));
  };
  /**
   * This node's desks get the kiosk's signals they have not had yet, in order, each once. Passes
   * may overlap (each reads the log, then broadcasts without waiting): one only broadcasts the
   * number after the last one passed on, so a pass that read older rows skips them.
   */
  const passOnToStaff = async (id: string, jurisdiction: string): Promise<void> => {
    // Bounded: each pass reads at most the log's rows after the last one passed on.
    for (const s of await log.after(id, 'to-staff', toStaffSent.get(id) ?? 0)) {
      const sent = toStaffSent.get(id) ?? 0;
      if (s.seq <= sent) continue;
      if (s.seq !== sent + 1) break;
      toStaffSent.set(id, s.seq);
      broadcast(jurisdiction, { type: 'signal', requestId: id, seq: s.seq, signal: s.signal });
    }
  };
  /** A request's change, to this node's desks (the other nodes' are told by `tell`). */
  const announceHere = (row: HelpRow) => broadcast(row.jurisdiction, { type: 'request', request: view(row) });
  const announce = async (id: string): Promise<void> => {
    const row = await store.byId(id);
    if (!row) return;
    announceHere(row);
    tell({ r: id, k: 'request' });
    deps.desk?.helpRequest({
      requestId: row.id,
      kioskId: row.kioskId,
      jurisdiction: row.jurisdiction,
      step: row.step,
      state: row.state,
    });
  };
  const onDutyHere = (jurisdiction: string): boolean =>
    [...listeners].some((l) => l.jurisdictions.includes(jurisdiction));
  /** Jurisdictions on duty at other nodes: `node|jurisdiction` → until when (ms) it counts. */
  const dutyElsewhere = new Map<string, number>();
  const onDuty = (jurisdiction: string): boolean => {
    if (onDutyHere(jurisdiction)) return true;
    const now = clock().getTime();
    for (const [key, until] of dutyElsewhere)
      if (until < now) dutyElsewhere.delete(key);
      else if (key.endsWith(`|${jurisdiction}`)) return true;
    return false;
  };
  const dutyNow = (): string[] => [...new Set([...listeners].flatMap((l) => l.jurisdictions))].sort();
  let dutyTold: string[] = [];
  /**
   * Tells the other nodes which jurisdictions are on duty here (k `duty`, refreshed every
   * DUTY_REFRESH_MS; a node's entries count for 3 refreshes) and which just went off (k `off`).
   * Lists go in parts small enough for a notification.
   */
  const tellDuty = (force: boolean) => {
    if (!notifier) return;
    const now = dutyNow();
    const off = dutyTold.filter((j) => !now.includes(j));
    if (!force && off.length === 0 && now.join() === dutyTold.join()) return;
    dutyTold = now;
    for (let i = 0; i < now.length; i += DUTY_PART) tell({ k: 'duty', j: now.slice(i, i + DUTY_PART) });
    for (let i = 0; i < off.length; i += DUTY_PART) tell({ k: 'off', j: off.slice(i, i + DUTY_PART) });
  };
  const statusOf = (row: HelpRow): HelpStatus => ({
    id: row.id,
    state: row.state,
    onDuty: onDuty(row.jurisdiction),
    staff: row.staff,
  });
  /** The kiosk's own request, or undefined (another kiosk's request does not exist for it). */
  const ownRow = async (kiosk: KioskRef, id: string): Promise<HelpRow | undefined> => {
    const row = await store.byId(id);
    return row && row.kioskId === kiosk.id ? row : undefined;
  };
  /** A request of one of the staff member's jurisdictions, or undefined. */
  const deskRow = async (staff: Staff, id: string): Promise<HelpRow | undefined> => {
    const row = await store.byId(id);
    return row && staffCovers(staff, row.jurisdiction) ? row : undefined;
  };
  const noRequest = () => notFound('no such help request');
  const isOpen = (row: HelpRow) => row.state === 'waiting' || row.state === 'answered';
  const finish = (id: string) => {
    // Leave the log a little while so a last long-poll sees the hang-up, then forget it.
    wakeKiosk(id);
    const t = setTimeout(() => {
      timers.delete(t);
      toStaffSent.delete(id);
      log.forget(id).catch(() => {
        // The hall closed its database meanwhile; the next start's purge removes the rows.
      });
    }, FINISHED_KEEP_MS);
    t.unref();
    timers.add(t);
  };
  /** A signal taken here: numbered, passed on (to this node's desks, or the kiosk's long-poll), told. */
  const relay = async (row: HelpRow, direction: SignalDirection, signal: HelpSignal): Promise<number> => {
    const seq = await log.append(row.id, direction, signal);
    if (direction === 'to-staff') await passOnToStaff(row.id, row.jurisdiction);
    else wakeKiosk(row.id);
    tell({ r: row.id, k: 'signal', d: direction, s: seq });
    return seq;
  };

  /** Another node's news (and, with `null`, "you may have missed some"). */
  async function fromOtherNode(payload: string | null): Promise<void> {
    if (payload === null) {
      // Whatever the other nodes did meanwhile is unknown: every desk gets the open requests
      // again, every log this node passes on is caught up, every kiosk long-poll looks again.
      for (const l of [...listeners]) l.send({ type: 'requests', requests: await listOf(l.jurisdictions) });
      const rows = new Map<string, HelpRow>();
      for (const id of [...toStaffSent.keys()]) {
        const row = await store.byId(id);
        if (row) rows.set(id, row);
      }
      for (const j of new Set([...listeners].flatMap((l) => l.jurisdictions)))
        for (const row of await store.open(j)) rows.set(row.id, row);
      for (const row of rows.values()) await passOnToStaff(row.id, row.jurisdiction);
      for (const id of [...waiters.keys()]) wakeKiosk(id);
      // They may have missed our duty too, and we theirs.
      tellDuty(true);
      tell({ k: 'hello' });
      return;
    }
    let m: z.infer<typeof crossNode>;
    try {
      const r = crossNode.safeParse(JSON.parse(payload));
      if (!r.success) return;
      m = r.data;
    } catch {
      return;
    }
    if (m.o === nodeId) return; // published here, already delivered here
    if (m.k === 'hello') {
      tellDuty(true);
      return;
    }
    if (m.k === 'duty' || m.k === 'off') {
      const until = clock().getTime() + 3 * DUTY_REFRESH_MS;
      for (const j of m.j)
        if (m.k === 'duty') dutyElsewhere.set(`${m.o}|${j}`, until);
        else dutyElsewhere.delete(`${m.o}|${j}`);
      return;
    }
    const row = await store.byId(m.r);
    if (!row) return;
    if (m.k === 'request') {
      announceHere(row);
      if (isOpen(row)) wakeKiosk(row.id);
      else finish(row.id);
    } else if (m.d === 'to-staff') await passOnToStaff(row.id, row.jurisdiction);
    else wakeKiosk(row.id);
  }
  // The other nodes' news is handled one message after another, in the order it came.
  let fromNodes: Promise<void> = Promise.resolve();
  const unsubscribeNodes = notifier?.subscribe(HALL_CHANNELS.help, (payload) => {
    fromNodes = fromNodes
      .then(() => fromOtherNode(payload))
      .catch(() => {
        // A read failed (the hall closing its database): the next message, or the notifier's
        // "missed" (null) after a reconnect, catches this node up.
      });
  });
  // Rows of calls that ended while no node was running to delete them (in the background: the
  // purge only frees space, nothing waits for it).
  if (notifier)
    fromNodes = store
      .purgeSignals(new Date(clock().getTime() - FINISHED_KEEP_MS).toISOString())
      .then(() => undefined)
      .catch(() => undefined);
  // Who is on duty elsewhere: asked at start, re-told by every node while it has desks open.
  tell({ k: 'hello' });
  const dutyTimer = notifier
    ? setInterval(() => {
        if (dutyTold.length > 0) tellDuty(true);
      }, DUTY_REFRESH_MS)
    : null;
  dutyTimer?.unref();

  // ---- kiosk side (signed requests) ------------------------------------------------------------

  /** POST /v1/help/requests: records the request (idempotent by id) and tells the desk. */
  async function request(kiosk: KioskRef, raw: unknown): Promise<HttpAnswer> {
    const parsed = helpRequestBodySchema.safeParse(raw);
    if (!parsed.success) return badRequest(describeIssues(parsed.error));
    const b = parsed.data;
    const existing = await store.byId(b.id);
    if (existing && existing.kioskId !== kiosk.id) return badRequest('this request id is taken');
    if (!existing) {
      await store.insert({
        id: b.id,
        kioskId: kiosk.id,
        jurisdiction: kiosk.jurisdiction,
        step: b.step,
        since: b.since,
        consent: b.consent,
        residentName: b.consent ? (b.residentName ?? null) : null,
        at: clock().toISOString(),
      });
      await announce(b.id);
    }
    const row = await store.byId(b.id);
    return row ? { status: 200, body: statusOf(row) } : noRequest();
  }

  /** GET /v1/help/requests/{id} */
  async function status(kiosk: KioskRef, id: string): Promise<HttpAnswer> {
    const row = await ownRow(kiosk, id);
    return row ? { status: 200, body: statusOf(row) } : noRequest();
  }

  /** POST /v1/help/requests/{id}/cancel: the resident gave up or hung up. */
  async function cancel(kiosk: KioskRef, id: string): Promise<HttpAnswer> {
    const row = await ownRow(kiosk, id);
    if (!row) return noRequest();
    if (isOpen(row)) {
      await store.close(id, row.state === 'waiting' ? 'cancelled' : 'closed', clock().toISOString());
      await relay(row, 'to-staff', { type: 'hangup' });
      await announce(id);
      finish(id);
    }
    const after = await store.byId(id);
    return after ? { status: 200, body: statusOf(after) } : noRequest();
  }

  /** POST /v1/help/requests/{id}/signals: the kiosk's answer / ICE candidates / hang-up. */
  async function kioskSignal(kiosk: KioskRef, id: string, raw: unknown): Promise<HttpAnswer> {
    const parsed = helpSignalBodySchema.safeParse(raw);
    if (!parsed.success) return badRequest(describeIssues(parsed.error));
    const row = await ownRow(kiosk, id);
    if (!row) return noRequest();
    if (row.state !== 'answered')
      return hallError(409, 'invalid-transition', `the request is ${row.state}`, { from: row.state });
    return { status: 200, body: { seq: await relay(row, 'to-staff', parsed.data.signal) } };
  }

  /**
   * GET /v1/help/requests/{id}/signals?after=N: the desk's messages after N, held open up to
   * `timeoutMs` while there are none and the request is still open (a long-poll).
   */
  async function kioskSignals(
    kiosk: KioskRef,
    id: string,
    after: number,
    timeoutMs: number,
    abort: AbortSignal,
  ): Promise<HttpAnswer> {
    const row = await ownRow(kiosk, id);
    if (!row) return noRequest();
    const pending = () => log.after(id, 'to-kiosk', after);
    const current = await store.byId(id);
    if ((await pending()).length === 0 && current && isOpen(current) && timeoutMs > 0) {
      await new Promise<void>((resolve) => {
        let set = waiters.get(id);
        if (!set) {
          set = new Set();
          waiters.set(id, set);
        }
        const mine = set;
        const done = () => {
          clearTimeout(timer);
          mine.delete(done);
          if (mine.size === 0 && waiters.get(id) === mine) waiters.delete(id);
          abort.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        mine.add(done);
        abort.addEventListener('abort', done);
      });
    }
    const latest = await store.byId(id);
    if (!latest) return noRequest();
    return {
      status: 200,
      body: { state: latest.state, signals: await pending() } satisfies HelpSignalsResponse,
    };
  }

  // ---- staff side (bearer token) -------------------------------------------------------------------

  /**
   * GET /v1/staff/help: open requests of every jurisdiction the staff member is bound to (an account
   * may cover several; each is read on its own and merged in arrival order).
   */
  const list = (staff: Staff): Promise<StaffHelpRequest[]> => listOf(staff.jurisdictions);
  async function listOf(jurisdictions: readonly string[]): Promise<StaffHelpRequest[]> {
    const rows: HelpRow[] = [];
    for (const j of new Set(jurisdictions)) rows.push(...(await store.open(j)));
    return rows
      .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0))
      .map(view);
  }

  /**
   * The staff member's live view (GET /v1/staff/help/events): the open requests now, then every
   * change and every signal from their jurisdiction's kiosks. Returns the unsubscribe. The desk is
   * listening from the call on: what happens while the open requests are read is held back and
   * sent after them (a request's change may then come twice, its latest state last).
   */
  function subscribe(staff: Staff, send: (e: StaffHelpEvent) => void): () => void {
    let held: StaffHelpEvent[] | null = [];
    let open = true;
    const l: Listener = {
      jurisdictions: [...staff.jurisdictions],
      send: (e) => (held ? held.push(e) : send(e)),
    };
    listeners.add(l);
    tellDuty(false);
    const release = (requests: StaffHelpRequest[]) => {
      const later = held ?? [];
      held = null;
      if (!open) return;
      send({ type: 'requests', requests });
      for (const e of later) send(e);
    };
    list(staff).then(release, () => release([]));
    return () => {
      open = false;
      listeners.delete(l);
      tellDuty(false);
    };
  }

  /** POST /v1/staff/help/{id}/answer */
  async function answer(staff: Staff, id: string): Promise<HttpAnswer> {
    const row = await deskRow(staff, id);
    if (!row) return noRequest();
    if (!(await store.answer(id, staff.name, clock().toISOString())))
      return hallError(409, 'invalid-transition', `the request is ${row.state}`, { from: row.state });
    await announce(id);
    wakeKiosk(id);
    const after = await store.byId(id);
    return after ? { status: 200, body: view(after) } : noRequest();
  }

  /** POST /v1/staff/help/{id}/close: the call is over (or the request is dealt with otherwise). */
  async function close(staff: Staff, id: string): Promise<HttpAnswer> {
    const row = await deskRow(staff, id);
    if (!row) return noRequest();
    if (!(await store.close(id, 'closed', clock().toISOString())))
      return hallError(409, 'invalid-transition', `the request is ${row.state}`, { from: row.state });
    await relay(row, 'to-kiosk', { type: 'hangup' });
    await announce(id);
    finish(id);
    const after = await store.byId(id);
    return after ? { status: 200, body: view(after) } : noRequest();
  }

  /** POST /v1/staff/help/{id}/signals: the desk's offer / ICE candidates / hang-up. */
  async function staffSignal(staff: Staff, id: string, raw: unknown): Promise<HttpAnswer> {
    const parsed = helpSignalBodySchema.safeParse(raw);
    if (!parsed.success) return badRequest(describeIssues(parsed.error));
    const row = await deskRow(staff, id);
    if (!row) return noRequest();
    if (row.state !== 'answered')
      return hallError(409, 'invalid-transition', `the request is ${row.state}`, { from: row.state });
    return { status: 200, body: { seq: await relay(row, 'to-kiosk', parsed.data.signal) } };
  }

  return {
    request,
    status,
    cancel,
    kioskSignal,
    kioskSignals,
    /** Kiosks' signal long-polls waiting now (diagnostics; tests). */
    signalsWaiting: (): number => [...waiters.values()].reduce((n, set) => n + set.size, 0),
    list,
    subscribe,
    answer,
    close,
    staffSignal,
    onDuty,
    /** Stops hearing other nodes and drops pending clean-ups (the hall is closing). */
    shutdown() {
      unsubscribeNodes?.();
      if (dutyTimer) clearInterval(dutyTimer);
      if (dutyTold.length > 0) tell({ k: 'off', j: dutyTold.slice(0, DUTY_PART) });
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}

export type HelpDesk = ReturnType<typeof createHelpDesk>;
