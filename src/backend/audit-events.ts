/**
 * Every action the kiosk writes to its audit log (电子监察: traceable and queryable with
 * `npm run cli -- audit`), declared once: who the actor is, what the subject column holds, what the
 * action means, whether the technician console lists it among recent errors, and how its detail is
 * stored. Personal data is masked here, by the declared detail — callers hand over what they know
 * (a name, an ID number) and never decide how it is shown. The writer (store/audit-store.ts) takes
 * action names from this table only, and scrubs what slipped through (an ID or phone number in any
 * string) as a second line.
 *
 * docs/store.md, "Audit actions", lists the table; audit-store.test.ts keeps the two in step.
 */
import type { EndReason, MaskedIdentity, SessionRole } from '../shared/index.js';
import { maskIdNumber, maskName } from '../shared/mask.js';
import type { EvaluationLevel } from '../shared/evaluation.js';
import { DOCUMENT_STREAMS, STREAMS } from '../shared/wire/index.js';

export type AuditActor = 'resident' | 'kiosk' | 'technician' | 'hall';

export type AuditEventSpec<D> = {
  actor: AuditActor;
  /** What the subject column holds (null when the action has none). */
  subject: string | null;
  description: string;
  /** Listed among the technician console's recent errors. */
  console: boolean;
  /** The detail as stored (JSON), personal data masked; null stores none. */
  detail: (d: D) => Record<string, unknown> | null;
};

const event = <D = null>(spec: AuditEventSpec<D>): AuditEventSpec<D> => spec;
const none = (): null => null;

/** The same event for every stream in `streams`, named `<stream>-<suffix>`. */
function perStream<S extends string, X extends string, D>(
  streams: readonly S[],
  suffix: X,
  spec: AuditEventSpec<D>,
): Record<`${S}-${X}`, AuditEventSpec<D>> {
  return Object.fromEntries(streams.map((s) => [`${s}-${suffix}`, spec])) as Record<
    `${S}-${X}`,
    AuditEventSpec<D>
  >;
}

type Outcome = { outcome: string };

export const AUDIT_EVENTS = {
  // ---- the resident (session.ts, application-*.ts, evaluations.ts) ----
  'session-start': event<{ trigger: 'touch' | 'card' }>({
    actor: 'resident',
    subject: 'session id',
    description: 'a resident session started (first touch or a card)',
    console: false,
    detail: (d) => ({ trigger: d.trigger }),
  }),
  'session-end': event<{ reason: EndReason; unsubmittedPages: number }>({
    actor: 'resident',
    subject: 'session id',
    description: 'a session ended and was wiped (finished, timeout, home, card removed)',
    console: false,
    detail: (d) => ({ reason: d.reason, unsubmittedPages: d.unsubmittedPages }),
  }),
  identify: event<{
    role: SessionRole;
    cardType: MaskedIdentity['cardType'];
    name: string;
    idNumber: string;
  }>({
    actor: 'resident',
    subject: 'session id',
    description: 'an ID card identified the applicant or the helper (name and number masked)',
    console: false,
    detail: (d) => ({
      role: d.role,
      cardType: d.cardType,
      name: maskName(d.name),
      id: maskIdNumber(d.idNumber),
    }),
  }),
  'identify-failed': event<{ role: SessionRole; error: string }>({
    actor: 'resident',
    subject: 'session id',
    description: 'no usable card: timeout, read failure, invalid, expired or the same card twice',
    console: true,
    detail: (d) => ({ role: d.role, error: d.error }),
  }),
  capture: event<{ material: string; pages: number; via: 'scanner' | 'camera' }>({
    actor: 'resident',
    subject: 'session id',
    description: 'pages captured for a material (scanner or document camera)',
    console: false,
    detail: (d) => ({ material: d.material, pages: d.pages, via: d.via }),
  }),
  'capture-failed': event<{ material: string; fault: string; pagesKept: number }>({
    actor: 'resident',
    subject: 'session id',
    description: 'a scan stopped on a scanner fault (jam, open door, …); the resident was told',
    console: true,
    detail: (d) => ({ material: d.material, fault: d.fault, pagesKept: d.pagesKept }),
  }),
  submit: event<{ receipts: string[]; items: string[]; applicantName: string; assisted: boolean }>({
    actor: 'resident',
    subject: 'submission id',
    description: 'applications submitted (durable, in the outbox): receipt numbers, items',
    console: false,
    detail: (d) => ({
      receipts: d.receipts,
      items: d.items,
      applicant: maskName(d.applicantName),
      assisted: d.assisted,
    }),
  }),
  'receipt-printed': event<Outcome>({
    actor: 'resident',
    subject: 'receipt number',
    description: 'the receipt (收件材料接收凭证) printed',
    console: false,
    detail: (d) => ({ outcome: d.outcome }),
  }),
  'receipt-print-failed': event<Outcome>({
    actor: 'resident',
    subject: 'receipt number',
    description: 'the receipt did not print (the application is kept; reprint from 进度查询)',
    console: true,
    detail: (d) => ({ outcome: d.outcome }),
  }),
  'receipt-reprint': event({
    actor: 'resident',
    subject: 'receipt number',
    description: 'a receipt reprint was asked for',
    console: false,
    detail: none,
  }),
  'access-code': event<{ receiptNo: string }>({
    actor: 'resident',
    subject: 'session id',
    description: 'a receipt access code opened an application for this session',
    console: false,
    detail: (d) => ({ receiptNo: d.receiptNo }),
  }),
  'access-denied': event<{
    what: 'unknown-receipt' | 'wrong-code' | 'no-grant';
    receiptNo: string;
    attemptsLeft?: number;
    kioskFailures?: number;
  }>({
    actor: 'resident',
    subject: 'session id',
    description: 'refused: an unknown receipt number, a wrong access code, or a case not this session’s',
    console: false,
    detail: (d) => ({ ...d }),
  }),
  'access-throttled': event<{ receiptNo: string | null; retryAfterSeconds: number }>({
    actor: 'resident',
    subject: 'session id',
    description: 'a receipt look-up refused: too many failed look-ups in the session or on the kiosk',
    console: false,
    detail: (d) => ({ receiptNo: d.receiptNo, retryAfterSeconds: d.retryAfterSeconds }),
  }),
  'access-code-reissued': event({
    actor: 'resident',
    subject: 'receipt number',
    description: 'a new receipt access code replaced the old one (reprint by card, or a lost first print)',
    console: false,
    detail: none,
  }),
  supplement: event<{ materials: string[] }>({
    actor: 'resident',
    subject: 'receipt number',
    description: '补正: pages added for the materials the hall asked for',
    console: false,
    detail: (d) => ({ materials: d.materials }),
  }),
  'decision-printed': event<Outcome>({
    actor: 'resident',
    subject: 'receipt number',
    description: '即办件: the decision slip (办理结果通知单) printed',
    console: false,
    detail: (d) => ({ outcome: d.outcome }),
  }),
  'decision-print-failed': event<Outcome>({
    actor: 'resident',
    subject: 'receipt number',
    description: '即办件: the decision slip did not print',
    console: true,
    detail: (d) => ({ outcome: d.outcome }),
  }),
  evaluate: event<{ target: 'application' | 'ticket'; level: EvaluationLevel }>({
    actor: 'resident',
    subject: 'evaluation id',
    description: '好差评 given (the evaluator is not recorded)',
    console: false,
    detail: (d) => ({ target: d.target, level: d.level }),
  }),

  // ---- the kiosk itself (queue.ts, devices) ----
  'queue-ticket-print-failed': event<{ detail: string | null }>({
    actor: 'kiosk',
    subject: 'ticket id',
    description: 'a queue ticket did not print (the number is kept; reprinted with the same number)',
    console: true,
    detail: (d) => ({ detail: d.detail }),
  }),
  'device-fault': event<{ uri: string; state: unknown }>({
    actor: 'kiosk',
    subject: 'device kind',
    description: 'a device reported a fault',
    console: true,
    detail: (d) => ({ uri: d.uri, state: d.state }),
  }),

  'card-left': event({
    actor: 'kiosk',
    subject: null,
    description:
      'a session ended with a card on the reader: the home screen and voice alarm until it is taken',
    console: false,
    detail: none,
  }),
  'card-taken': event({
    actor: 'kiosk',
    subject: null,
    description: 'the card left on the reader was taken; the alarm stops',
    console: false,
    detail: none,
  }),

  // ---- technicians (technician.ts, device-console.ts) ----
  'tech-login': event({
    actor: 'technician',
    subject: null,
    description: 'the console was opened with the PIN',
    console: false,
    detail: none,
  }),
  'tech-wrong-pin': event<{ failures: number }>({
    actor: 'technician',
    subject: null,
    description: 'a wrong console PIN',
    console: false,
    detail: (d) => ({ failures: d.failures }),
  }),
  'tech-locked': event<{ failures: number; lockouts: number; minutes: number }>({
    actor: 'technician',
    subject: null,
    description: 'five wrong PINs: the console is locked, longer each time (1, 5, 15, then 60 minutes)',
    console: false,
    detail: (d) => ({ failures: d.failures, lockouts: d.lockouts, minutes: d.minutes }),
  }),
  'tech-logout': event({
    actor: 'technician',
    subject: null,
    description: 'the console was closed',
    console: false,
    detail: none,
  }),
  'tech-action': event<{ input: Record<string, unknown>; outcome: string }>({
    actor: 'technician',
    subject: 'procedure',
    description: 'any console action (tech.* mutation): its input (no secrets, no images) and outcome',
    console: false,
    detail: (d) => ({ input: d.input, outcome: d.outcome }),
  }),
  'tech-sync-enrolled': event<{
    before: { kioskId: string | null; hallUrl: string | null };
    after: { kioskId: string; hallUrl: string; firstSeq: number };
  }>({
    actor: 'technician',
    subject: 'kiosk id',
    description: 'the kiosk was enrolled at the configured hall: identity and hall before and after',
    console: false,
    detail: (d) => ({ before: d.before, after: d.after }),
  }),
  'tech-sync-enrol-failed': event<{ hallUrl: string | null; error: string }>({
    actor: 'technician',
    subject: null,
    description: 'an enrolment at the configured hall failed (refused code, unreachable, refused address)',
    console: true,
    detail: (d) => ({ hallUrl: d.hallUrl, error: d.error }),
  }),
  'tech-pin-set': event({
    actor: 'technician',
    subject: null,
    description: 'the console PIN was set (`cli tech set-pin`)',
    console: false,
    detail: none,
  }),
  'device-configured': event<{ uri: string; before: string | null }>({
    actor: 'technician',
    subject: 'device kind',
    description: 'a device address was chosen in the console (before and after)',
    console: true,
    detail: (d) => ({ before: d.before, uri: d.uri }),
  }),
  'test-print-failed': event<{ kind: string }>({
    actor: 'technician',
    subject: 'printer (printer / ticketPrinter)',
    description: 'the console test page did not print',
    console: true,
    detail: (d) => ({ kind: d.kind }),
  }),

  // ---- the hall's documents (hall-documents.ts), one of each per stream ----
  ...perStream(
    DOCUMENT_STREAMS,
    'updated',
    event<{ version: number; label: string | null }>({
      actor: 'hall',
      subject: 'stream/key',
      description: 'a document the hall sent is in force now (not written for queue-state)',
      console: false,
      detail: (d) => ({ version: d.version, label: d.label }),
    }),
  ),
  ...perStream(
    DOCUMENT_STREAMS,
    'withdrawn',
    event<{ version: number }>({
      actor: 'hall',
      subject: 'stream/key',
      description: 'the hall withdrew a document: the seed / configuration file applies again',
      console: false,
      detail: (d) => ({ version: d.version }),
    }),
  ),
  ...perStream(
    STREAMS,
    'update-failed',
    event<{ version: number; op: 'put' | 'del'; issues: string[] }>({
      actor: 'hall',
      subject: 'stream/key',
      description: 'a pulled document was refused (invalid): the previous version stays',
      console: true,
      detail: (d) => ({ version: d.version, op: d.op, issues: d.issues }),
    }),
  ),
};

export type AuditAction = keyof typeof AUDIT_EVENTS;
export type AuditDetail<A extends AuditAction> = Parameters<(typeof AUDIT_EVENTS)[A]['detail']>[0];

export const AUDIT_ACTIONS = Object.keys(AUDIT_EVENTS) as AuditAction[];

/** The actions the technician console lists among recent errors. */
export const CONSOLE_ACTIONS: readonly AuditAction[] = AUDIT_ACTIONS.filter((a) => AUDIT_EVENTS[a].console);
