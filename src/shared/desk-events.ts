/**
 * The live desk's event stream and the 叫号 panel's bodies (docs/sync-protocol.md, 8.x "Live desk
 * events" and "叫号 panel") — one definition the hall sends and the staff page reads.
 *
 * GET /v1/staff/events is `text/event-stream`: each event has `id: <epoch>-<n>` (the hall's start
 * epoch and a counter), `event: <type>` and `data: <DeskEvent JSON>`. A page that reconnects with
 * `Last-Event-ID` gets what it missed from a bounded buffer; when the id is from an earlier hall start
 * or older than the buffer, it gets one `resync` event and reloads its lists.
 *
 * No zod: the page imports it too (the queue bodies' schemas are in desk-queue-schemas.ts).
 */
import type { HallCaseStatus } from './case-status.js';
import type { PriorityKind } from './queue-ticket.js';

/**
 * How long a kiosk holds a resident for a 即办件 decision (the kiosk's `resident.immediateWaitSeconds`
 * default): the desk's countdown ends at the application's submission plus this.
 */
export const IMMEDIATE_WAIT_SECONDS = 60;

/** How many events the hall keeps for Last-Event-ID replay. */
export const DESK_EVENT_BUFFER = 1000;

/** A case as the live desk shows it: the applicant masked (张*三), never the full name. */
export type DeskCaseRef = {
  id: string;
  receiptNo: string;
  itemCode: string;
  jurisdiction: string;
  kioskId: string;
  caseType: 'immediate' | 'promised';
  applicantMasked: string;
};

export type DeskEvent =
  | { type: 'hello'; epoch: string; at: string }
  | {
      type: 'resync';
      /** `missed`: events of other hall nodes may have been lost (their connection dropped). */
      reason: 'restarted' | 'too-old' | 'missed';
      at: string;
    }
  | { type: 'case-received'; case: DeskCaseRef; at: string }
  | {
      type: 'immediate-waiting';
      case: DeskCaseRef;
      kioskId: string;
      /** When the kiosk stops holding the resident (ISO instant). */
      deadline: string;
      at: string;
    }
  | { type: 'supplement-received'; caseId: string; receiptNo: string; kioskId: string; at: string }
  | { type: 'case-status'; caseId: string; status: HallCaseStatus; at: string }
  | { type: 'help-request'; requestId: string; kioskId: string; step: string; state: string; at: string };

export type DeskEventType = DeskEvent['type'];

export const DESK_EVENT_TYPES = [
  'hello',
  'resync',
  'case-received',
  'immediate-waiting',
  'supplement-received',
  'case-status',
  'help-request',
] as const satisfies readonly DeskEventType[];

/** A ticket's place in the day (migration 15): waiting, called (at a window), skipped (过号). */
export type QueueTicketState = 'waiting' | 'called' | 'skipped';

/** One number of today's queue of a window, online or from a kiosk's offline range. */
export type DeskQueueTicket = {
  id: string;
  number: string;
  window: string;
  source: 'online' | 'offline';
  priority: PriorityKind | null;
  state: QueueTicketState;
  issuedAt: string;
  calledAt: string | null;
  recalls: number;
  /** The window it was transferred from, if it was. */
  transferredFrom: string | null;
};

/** GET /v1/staff/queue?serviceDate=&window= */
export type DeskQueueView = {
  serviceDate: string;
  jurisdiction: string;
  windows: {
    window: string;
    /** The window's name from the hall's catalog (null when the catalog does not know it). */
    name: { zh: string; en: string } | null;
    current: DeskQueueTicket | null;
    tickets: DeskQueueTicket[];
  }[];
};

/** The body of a successful call-next / recall / skip / transfer. */
export type DeskQueueDone = { ticket: DeskQueueTicket; waiting: number };

/** Parses an SSE id `<epoch>-<n>`; null when it is not one. */
export function parseDeskEventId(id: string | null | undefined): { epoch: string; n: number } | null {
  const m = /^([A-Za-z0-9_-]{1,40})-(\d{1,15})$/.exec(id ?? '');
  if (!m?.[1] || !m[2]) return null;
  return { epoch: m[1], n: Number(m[2]) };
}
