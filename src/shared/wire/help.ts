/**
 * 呼叫帮助 (docs/sync-protocol.md, section 5d "Help calls"): a resident at a kiosk asks the hall's
 * staff desk for help; a member of staff answers and the two talk over a WebRTC video call whose
 * signalling (offer / answer / ICE candidates / hang-up) the hall relays. One definition for the
 * kiosk, the hall and the staff page.
 *
 * Privacy: a request carries the kiosk, the step the resident is on and how long they have been
 * waiting — nothing about the person unless they agreed on screen (`consent`), and even then only
 * the masked name (张*明).
 */
import { z } from 'zod';
import { HELP_STATES, type HelpSignal } from '../help.js';

export { HELP_STATES };
export type { HelpSignal, HelpState, StaffHelpEvent, StaffHelpRequest } from '../help.js';

/** Steps are short route names (`apply`, `queue`, `home` …), never form contents. */
export const helpStepSchema = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9-]{0,39}$/, 'a step is a route name such as "apply"');

export const helpRequestBodySchema = z
  .object({
    /** Chosen by the kiosk (a UUID), so a retried request is the same request. */
    id: z.uuid(),
    step: helpStepSchema,
    /** When the resident pressed 呼叫帮助 (ISO-8601 UTC): the desk shows the waiting time from it. */
    since: z.iso.datetime(),
    consent: z.boolean(),
    /** Only with consent: the resident's masked name as the kiosk shows it. */
    residentName: z.string().trim().min(1).max(40).optional(),
  })
  .refine((b) => b.consent || b.residentName === undefined, {
    message: 'residentName is sent only with the resident’s consent',
  });
export type HelpRequestBody = z.infer<typeof helpRequestBodySchema>;

/** The hall's answer to POST /v1/help/requests and GET /v1/help/requests/{id}. */
export const helpStatusSchema = z.object({
  id: z.uuid(),
  state: z.enum(HELP_STATES),
  /** Someone at the desk has the help stream open (else nobody can answer now). */
  onDuty: z.boolean(),
  /** The name of the staff member who answered, once answered. */
  staff: z.string().max(80).nullable(),
});
export type HelpStatus = z.infer<typeof helpStatusSchema>;

/** One WebRTC signalling message; SDP and candidates are opaque to the hall. */
export const helpSignalSchema: z.ZodType<HelpSignal> = z.discriminatedUnion('type', [
  z.object({ type: z.literal('offer'), sdp: z.string().min(1).max(20_000) }),
  z.object({ type: z.literal('answer'), sdp: z.string().min(1).max(20_000) }),
  z.object({
    type: z.literal('candidate'),
    candidate: z.string().max(2000),
    sdpMid: z.string().max(64).nullable(),
    sdpMLineIndex: z.number().int().min(0).max(64).nullable(),
  }),
  z.object({ type: z.literal('hangup') }),
]);

export const helpSignalBodySchema = z.object({ signal: helpSignalSchema });
/** The answer to a posted signal: its number in its direction's log. */
export const helpSignalAckSchema = z.object({ seq: z.number().int().min(1) });

/** A relayed message with its number in the request's signal log (per direction). */
export const relayedSignalSchema = z.object({ seq: z.number().int().min(1), signal: helpSignalSchema });
export type RelayedSignal = z.infer<typeof relayedSignalSchema>;

/** GET /v1/help/requests/{id}/signals?after=N&timeoutMs=…: the staff's messages after N. */
export const helpSignalsResponseSchema = z.object({
  state: z.enum(HELP_STATES),
  signals: z.array(relayedSignalSchema),
});
export type HelpSignalsResponse = z.infer<typeof helpSignalsResponseSchema>;

/** Longest a kiosk's signal long-poll is held by the hall. */
export const MAX_HELP_WAIT_MS = 20_000;
