/**
 * 呼叫帮助 on the kiosk (docs/resident-journey.md, "Help at any hour"): the resident taps the button,
 * the kiosk raises a help request at the hall's staff desk (kiosk, step, waiting time; the masked
 * name only with consent) and follows it — waiting, connected to a member of staff (the video call's
 * signalling relayed both ways: the desk's by `help-signal` events, the screen's by `signal`), or
 * ended. When nobody can answer — outside the desk's hours, nobody at the desk, no answer within
 * `answerSeconds`, or the hall unreachable — the kiosk says so and offers the hotline and hours.
 * One call at a time: a kiosk has one resident.
 */
import { randomUUID } from 'node:crypto';
import type {
  HelpFallback,
  HelpHours,
  HelpSignal,
  HelpUnavailableReason,
  KioskHelpCall,
} from '../../shared/help.js';
import { pad2, wallClockIn } from '../../shared/wall-clock.js';
import type { HelpCalls } from '../../sync/index.js';
import type { EventBus } from '../events.js';
import type { Logger } from '../logger.js';

export type HelpCallConfig = {
  hotline: string | null;
  hours: HelpHours[];
  answerSeconds: number;
  timeZone: string;
};

/** The long-poll of the desk's signals, and the pause after a failed one. */
const POLL_WAIT_MS = 15_000;
const RETRY_MS = 1000;

/** Whether `now` falls in one of the desk's hours (none configured: any hour). */
export function withinHours(now: Date, hours: readonly HelpHours[], timeZone: string): boolean {
  if (hours.length === 0) return true;
  const w = wallClockIn(now, timeZone);
  const weekday = new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay();
  const hhmm = `${pad2(w.hour)}:${pad2(w.minute)}`;
  return hours.some((h) => h.days.includes(weekday) && h.from <= hhmm && hhmm < h.to);
}

export function createHelpCallService(deps: {
  config: () => HelpCallConfig;
  /** The hall's help calls; null while the kiosk is not enrolled. */
  hall: () => HelpCalls | null;
  bus: EventBus;
  clock: () => Date;
  logger: Logger;
}) {
  const { bus, clock, logger } = deps;
  let call: KioskHelpCall = { phase: 'idle' };
  /** The request being followed: its poll is stopped by `abort`. */
  let active: { id: string; abort: AbortController; timer: NodeJS.Timeout | null } | null = null;

  const set = (next: KioskHelpCall): KioskHelpCall => {
    call = next;
    bus.publish({ type: 'help', call: next });
    return next;
  };
  const fallback = (): HelpFallback => {
    const c = deps.config();
    return { hotline: c.hotline, hours: c.hours };
  };
  const unavailable = (reason: HelpUnavailableReason): KioskHelpCall => {
    logger.info({ reason }, 'help call: nobody can answer');
    return set({ phase: 'unavailable', reason, fallback: fallback() });
  };
  /** Stops following the current request (its poll and its answer timer). */
  const stop = (): string | null => {
    const a = active;
    active = null;
    if (!a) return null;
    a.abort.abort();
    if (a.timer) clearTimeout(a.timer);
    return a.id;
  };
  const cancelOnHall = (id: string) => {
    const hall = deps.hall();
    if (!hall) return;
    void hall.cancel(id).then((r) => {
      if (!r.ok) logger.warn({ error: r.error }, 'help call: the hall did not take the cancel');
    });
  };

  /** Follows the desk's answer and signals until the request ends or is stopped. */
  async function follow(id: string, hall: HelpCalls, abort: AbortSignal): Promise<void> {
    let after = 0;
    while (!abort.aborted && active?.id === id) {
      const r = await hall.signals(id, after, POLL_WAIT_MS, abort);
      if (abort.aborted || active?.id !== id) return;
      if (!r.ok) {
        if (r.error.kind === 'refused') {
          stop();
          set({ phase: 'ended', by: 'staff' });
          return;
        }
        // The hall is briefly unreachable: the answer timer still bounds a wait.
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
        continue;
      }
      if (r.value.state === 'answered' && call.phase === 'waiting') {
        if (active.timer) clearTimeout(active.timer);
        active.timer = null;
        const s = await hall.status(id);
        if (active?.id !== id) return;
        set({ phase: 'connected', id, staff: s.ok ? s.value.staff : null });
      }
      for (const s of r.value.signals) {
        after = Math.max(after, s.seq);
        if (s.signal.type === 'hangup') continue;
        bus.publish({ type: 'help-signal', signal: s.signal });
      }
      if (
        r.value.signals.some((s) => s.signal.type === 'hangup') ||
        r.value.state === 'closed' ||
        r.value.state === 'cancelled'
      ) {
        stop();
        set({ phase: 'ended', by: 'staff' });
        return;
      }
    }
  }

  return {
    status: (): KioskHelpCall => call,

    /** 呼叫帮助: raises a request (or answers the one already under way). */
    async request(input: {
      step: string;
      consent: boolean;
      residentName: string | null;
    }): Promise<KioskHelpCall> {
      if (call.phase === 'waiting' || call.phase === 'connected') return call;
      const c = deps.config();
      const now = clock();
      if (!withinHours(now, c.hours, c.timeZone)) return unavailable('off-hours');
      const hall = deps.hall();
      if (!hall) return unavailable('hall-unreachable');
      const id = randomUUID();
      const since = now.toISOString();
      const r = await hall.request({
        id,
        step: input.step,
        since,
        consent: input.consent,
        ...(input.consent && input.residentName ? { residentName: input.residentName } : {}),
      });
      if (!r.ok) {
        logger.warn({ error: r.error }, 'help call: the hall did not take the request');
        return unavailable('hall-unreachable');
      }
      if (!r.value.onDuty) {
        cancelOnHall(id);
        return unavailable('nobody-on-duty');
      }
      const abort = new AbortController();
      active = { id, abort, timer: null };
      active.timer = setTimeout(() => {
        if (active?.id !== id || call.phase !== 'waiting') return;
        stop();
        cancelOnHall(id);
        unavailable('no-answer');
      }, c.answerSeconds * 1000);
      set({ phase: 'waiting', id, since, answerSeconds: c.answerSeconds });
      void follow(id, hall, abort.signal).catch((e: unknown) => logger.error({ err: e }, 'help call failed'));
      return call;
    },

    /** One signalling message from the screen to the desk; false when it could not be delivered. */
    async signal(signal: HelpSignal): Promise<boolean> {
      const hall = deps.hall();
      if (!active || call.phase !== 'connected' || !hall) return false;
      const r = await hall.signal(active.id, signal);
      return r.ok;
    },

    /** The resident cancels the wait or hangs up. */
    cancel(): KioskHelpCall {
      const id = stop();
      if (id) cancelOnHall(id);
      return set({ phase: 'idle' });
    },

    /** The resident closes the "nobody can answer" or "call ended" notice. */
    dismiss(): KioskHelpCall {
      if (call.phase === 'waiting' || call.phase === 'connected') return call;
      return set({ phase: 'idle' });
    },

    close(): void {
      const id = stop();
      if (id) cancelOnHall(id);
    },
  };
}

export type HelpCallService = ReturnType<typeof createHelpCallService>;
