/**
 * 呼叫帮助 at the hall (docs/sync-protocol.md, section 5d): kiosks raise help requests, the staff of
 * the kiosk's jurisdiction see them live and answer or close them, and the WebRTC signalling of the
 * video call is relayed between the two in memory (it is worthless after the call and never stored).
 *
 * Who may see what: a kiosk only its own requests (another kiosk's id answers 404, as does a
 * missing one); staff only their jurisdiction's (属地, as for cases). "On duty" means that at least
 * one member of staff of that jurisdiction has the help event stream open right now.
 */
import {
  describeIssues,
  helpRequestBodySchema,
  helpSignalBodySchema,
  type HelpSignal,
  type HelpSignalsResponse,
  type HelpStatus,
  type RelayedSignal,
  type StaffHelpEvent,
  type StaffHelpRequest,
} from '../shared/wire/index.js';
import { badRequest, hallError, notFound, type HttpAnswer } from './answers.js';
import type { DeskEventSink } from './desk-events.js';
import { staffCovers, type Staff } from './staff.js';
import { createHelpStore, type HallDb, type HelpRow } from './store/index.js';

type KioskRef = { id: string; jurisdiction: string };

/** The relay of one request's signalling: each direction numbered from 1. */
type Relay = { toKiosk: RelayedSignal[]; toStaff: RelayedSignal[]; wake: Set<() => void> };

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
  db: HallDb;
  clock: () => Date;
  /** The live desk (desk-events.ts): told of each request's change too. */
  desk?: Pick<DeskEventSink, 'helpRequest'>;
}) {
  const { db, clock } = deps;
  const store = createHelpStore(db);
  const listeners = new Set<Listener>();
  const relays = new Map<string, Relay>();

  const relayOf = (id: string): Relay => {
    let r = relays.get(id);
    if (!r) {
      r = { toKiosk: [], toStaff: [], wake: new Set() };
      relays.set(id, r);
    }
    return r;
  };
  const wakeKiosk = (id: string) => {
    const r = relays.get(id);
    if (!r) return;
    for (const w of [...r.wake]) w();
  };
  const broadcast = (jurisdiction: string, e: StaffHelpEvent) => {
    for (const l of listeners) if (l.jurisdictions.includes(jurisdiction)) l.send(e);
  };
  const announce = (id: string) => {
    const row = store.byId(id);
    if (!row) return;
    broadcast(row.jurisdiction, { type: 'request', request: view(row) });
    deps.desk?.helpRequest({
      requestId: row.id,
      kioskId: row.kioskId,
      jurisdiction: row.jurisdiction,
      step: row.step,
      state: row.state,
    });
  };
  const onDuty = (jurisdiction: string): boolean =>
    [...listeners].some((l) => l.jurisdictions.includes(jurisdiction));
  const statusOf = (row: HelpRow): HelpStatus => ({
    id: row.id,
    state: row.state,
    onDuty: onDuty(row.jurisdiction),
    staff: row.staff,
  });
  /** The kiosk's own request, or undefined (another kiosk's request does not exist for it). */
  const ownRow = (kiosk: KioskRef, id: string): HelpRow | undefined => {
    const row = store.byId(id);
    return row && row.kioskId === kiosk.id ? row : undefined;
  };
  /** A request of one of the staff member's jurisdictions, or undefined. */
  const deskRow = (staff: Staff, id: string): HelpRow | undefined => {
    const row = store.byId(id);
    return row && staffCovers(staff, row.jurisdiction) ? row : undefined;
  };
  const noRequest = () => notFound('no such help request');
  const isOpen = (row: HelpRow) => row.state === 'waiting' || row.state === 'answered';
  const finish = (id: string) => {
    // Leave the relay a little while so a last long-poll sees the hang-up, then forget it.
    wakeKiosk(id);
    setTimeout(() => relays.delete(id), 60_000).unref();
  };

  // ---- kiosk side (signed requests) ------------------------------------------------------------

  /** POST /v1/help/requests: records the request (idempotent by id) and tells the desk. */
  function request(kiosk: KioskRef, raw: unknown): HttpAnswer {
    const parsed = helpRequestBodySchema.safeParse(raw);
    if (!parsed.success) return badRequest(describeIssues(parsed.error));
    const b = parsed.data;
    const existing = store.byId(b.id);
    if (existing && existing.kioskId !== kiosk.id) return badRequest('this request id is taken');
    if (!existing) {
      store.insert({
        id: b.id,
        kioskId: kiosk.id,
        jurisdiction: kiosk.jurisdiction,
        step: b.step,
        since: b.since,
        consent: b.consent,
        residentName: b.consent ? (b.residentName ?? null) : null,
        at: clock().toISOString(),
      });
      announce(b.id);
    }
    const row = store.byId(b.id);
    return row ? { status: 200, body: statusOf(row) } : noRequest();
  }

  /** GET /v1/help/requests/{id} */
  function status(kiosk: KioskRef, id: string): HttpAnswer {
    const row = ownRow(kiosk, id);
    return row ? { status: 200, body: statusOf(row) } : noRequest();
  }

  /** POST /v1/help/requests/{id}/cancel: the resident gave up or hung up. */
  function cancel(kiosk: KioskRef, id: string): HttpAnswer {
    const row = ownRow(kiosk, id);
    if (!row) return noRequest();
    if (isOpen(row)) {
      store.close(id, row.state === 'waiting' ? 'cancelled' : 'closed', clock().toISOString());
      const relay = relayOf(id);
      const signal: HelpSignal = { type: 'hangup' };
      relay.toStaff.push({ seq: relay.toStaff.length + 1, signal });
      broadcast(row.jurisdiction, { type: 'signal', requestId: id, seq: relay.toStaff.length, signal });
      announce(id);
      finish(id);
    }
    const after = store.byId(id);
    return after ? { status: 200, body: statusOf(after) } : noRequest();
  }

  /** POST /v1/help/requests/{id}/signals: the kiosk's answer / ICE candidates / hang-up. */
  function kioskSignal(kiosk: KioskRef, id: string, raw: unknown): HttpAnswer {
    const parsed = helpSignalBodySchema.safeParse(raw);
    if (!parsed.success) return badRequest(describeIssues(parsed.error));
    const row = ownRow(kiosk, id);
    if (!row) return noRequest();
    if (row.state !== 'answered')
      return hallError(409, 'invalid-transition', `the request is ${row.state}`, { from: row.state });
    const relay = relayOf(id);
    const seq = relay.toStaff.length + 1;
    relay.toStaff.push({ seq, signal: parsed.data.signal });
    broadcast(row.jurisdiction, { type: 'signal', requestId: id, seq, signal: parsed.data.signal });
    return { status: 200, body: { seq } };
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
    const row = ownRow(kiosk, id);
    if (!row) return noRequest();
    const pending = () => relayOf(id).toKiosk.filter((s) => s.seq > after);
    const current = store.byId(id);
    if (pending().length === 0 && current && isOpen(current) && timeoutMs > 0) {
      await new Promise<void>((resolve) => {
        const relay = relayOf(id);
        const done = () => {
          clearTimeout(timer);
          relay.wake.delete(done);
          abort.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        relay.wake.add(done);
        abort.addEventListener('abort', done);
      });
    }
    const latest = store.byId(id);
    if (!latest) return noRequest();
    return { status: 200, body: { state: latest.state, signals: pending() } satisfies HelpSignalsResponse };
  }

  // ---- staff side (bearer token) -------------------------------------------------------------------

  /**
   * GET /v1/staff/help: open requests of every jurisdiction the staff member is bound to (an account
   * may cover several; each is read on its own and merged in arrival order).
   */
  const list = (staff: Staff): StaffHelpRequest[] =>
    [...new Set(staff.jurisdictions)]
      .flatMap((j) => store.open(j))
      .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0))
      .map(view);

  /**
   * The staff member's live view (GET /v1/staff/help/events): the open requests now, then every
   * change and every signal from their jurisdiction's kiosks. Returns the unsubscribe.
   */
  function subscribe(staff: Staff, send: (e: StaffHelpEvent) => void): () => void {
    const l: Listener = { jurisdictions: [...staff.jurisdictions], send };
    listeners.add(l);
    send({ type: 'requests', requests: list(staff) });
    return () => listeners.delete(l);
  }

  /** POST /v1/staff/help/{id}/answer */
  function answer(staff: Staff, id: string): HttpAnswer {
    const row = deskRow(staff, id);
    if (!row) return noRequest();
    if (!store.answer(id, staff.name, clock().toISOString()))
      return hallError(409, 'invalid-transition', `the request is ${row.state}`, { from: row.state });
    announce(id);
    wakeKiosk(id);
    const after = store.byId(id);
    return after ? { status: 200, body: view(after) } : noRequest();
  }

  /** POST /v1/staff/help/{id}/close: the call is over (or the request is dealt with otherwise). */
  function close(staff: Staff, id: string): HttpAnswer {
    const row = deskRow(staff, id);
    if (!row) return noRequest();
    if (!store.close(id, 'closed', clock().toISOString()))
      return hallError(409, 'invalid-transition', `the request is ${row.state}`, { from: row.state });
    const relay = relayOf(id);
    relay.toKiosk.push({ seq: relay.toKiosk.length + 1, signal: { type: 'hangup' } });
    announce(id);
    finish(id);
    const after = store.byId(id);
    return after ? { status: 200, body: view(after) } : noRequest();
  }

  /** POST /v1/staff/help/{id}/signals: the desk's offer / ICE candidates / hang-up. */
  function staffSignal(staff: Staff, id: string, raw: unknown): HttpAnswer {
    const parsed = helpSignalBodySchema.safeParse(raw);
    if (!parsed.success) return badRequest(describeIssues(parsed.error));
    const row = deskRow(staff, id);
    if (!row) return noRequest();
    if (row.state !== 'answered')
      return hallError(409, 'invalid-transition', `the request is ${row.state}`, { from: row.state });
    const relay = relayOf(id);
    const seq = relay.toKiosk.length + 1;
    relay.toKiosk.push({ seq, signal: parsed.data.signal });
    wakeKiosk(id);
    return { status: 200, body: { seq } };
  }

  return {
    request,
    status,
    cancel,
    kioskSignal,
    kioskSignals,
    list,
    subscribe,
    answer,
    close,
    staffSignal,
    onDuty,
  };
}

export type HelpDesk = ReturnType<typeof createHelpDesk>;
