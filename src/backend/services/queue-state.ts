/**
 * People waiting per window category, as the hall's queue last reported them (`queue-state/<window>`,
 * docs/sync-protocol.md 5 "Streams"; applied by hall-documents.ts). A count is only worth showing
 * while it is fresh: one older than 10 minutes, or from another service day, is no count at all
 * (null) — the kiosk then says nothing rather than something wrong.
 */
import { calendarDay } from '../../shared/working-days.js';
import { WINDOW_CODES, type WindowCode } from '../../shared/index.js';
import { queueStateSchema, type QueueState } from '../../sync/index.js';
import type { Db } from '../store/db.js';
import { createHallDocumentsStore } from '../store/hall-documents-store.js';
import { readDocumentState } from './hall-documents.js';

/** How old a reported count may be before it is ignored. */
export const QUEUE_STATE_MAX_AGE_MS = 10 * 60_000;

export type WindowQueueState = { window: WindowCode; waiting: number; serviceDate: string; at: string };

export function createQueueState(deps: { db: Db; clock: () => Date; timeZone: string; maxAgeMs?: number }) {
  const maxAge = deps.maxAgeMs ?? QUEUE_STATE_MAX_AGE_MS;
  const store = createHallDocumentsStore(deps.db);

  function fresh(window: WindowCode): QueueState | null {
    const state = readDocumentState(store, 'queue-state', window);
    if (!state || state.version === null) return null;
    const s = queueStateSchema.safeParse(state.data);
    if (!s.success) return null;
    const now = deps.clock();
    // Both directions: a count stamped far in the future is as untrustworthy as an old one.
    if (Math.abs(now.getTime() - Date.parse(s.data.at)) > maxAge) return null;
    if (s.data.serviceDate !== calendarDay(now, deps.timeZone)) return null;
    return s.data;
  }

  return {
    /** People waiting at this window, or null when the hall sent no fresh count. */
    waiting(window: WindowCode): number | null {
      return fresh(window)?.waiting ?? null;
    },
    /** Every window with a fresh count. */
    all(): WindowQueueState[] {
      return WINDOW_CODES.flatMap((window) => {
        const s = fresh(window);
        return s ? [{ window, waiting: s.waiting, serviceDate: s.serviceDate, at: s.at }] : [];
      });
    },
  };
}

export type QueueStateService = ReturnType<typeof createQueueState>;
