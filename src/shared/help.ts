/**
 * 呼叫帮助 as the screens and the staff page see it (zod-free: the renderer imports it). The wire
 * schemas that check these shapes at the kiosk ↔ hall boundary are in wire/help.ts.
 */

export const HELP_STATES = ['waiting', 'answered', 'closed', 'cancelled'] as const;
/** A request's state on the hall. */
export type HelpState = (typeof HELP_STATES)[number];

/** One WebRTC signalling message; SDP and candidates are opaque to the kiosk backend and the hall. */
export type HelpSignal =
  | { type: 'offer'; sdp: string }
  | { type: 'answer'; sdp: string }
  | { type: 'candidate'; candidate: string; sdpMid: string | null; sdpMLineIndex: number | null }
  | { type: 'hangup' };

/** Why the kiosk cannot put the resident through to a person now. */
export type HelpUnavailableReason = 'off-hours' | 'nobody-on-duty' | 'no-answer' | 'hall-unreachable';

/** Opening hours of the desk: on `days` (0 = Sunday … 6 = Saturday), from–to in the hall's zone. */
export type HelpHours = { days: number[]; from: string; to: string };

/** What the resident is offered when nobody can answer. */
export type HelpFallback = { hotline: string | null; hours: HelpHours[] };

/** The kiosk's help call as the screen draws it (help.status, and `help` events). */
export type KioskHelpCall =
  | { phase: 'idle' }
  | { phase: 'waiting'; id: string; since: string; answerSeconds: number }
  | { phase: 'connected'; id: string; staff: string | null }
  | { phase: 'unavailable'; reason: HelpUnavailableReason; fallback: HelpFallback }
  | { phase: 'ended'; by: 'resident' | 'staff' };

/** A help request as the staff desk lists it (GET /v1/staff/help and its event stream). */
export type StaffHelpRequest = {
  id: string;
  kioskId: string;
  step: string;
  since: string;
  createdAt: string;
  state: HelpState;
  residentName: string | null;
  staff: string | null;
};

/** Events on GET /v1/staff/help/events (server-sent events, one JSON object per `data:` line). */
export type StaffHelpEvent =
  | { type: 'requests'; requests: StaffHelpRequest[] }
  | { type: 'request'; request: StaffHelpRequest }
  | { type: 'signal'; requestId: string; seq: number; signal: HelpSignal };
