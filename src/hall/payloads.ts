/**
 * What the hall accepts in an outbox entry, per kind (docs/sync-protocol.md, "Entry kinds"). An entry
 * whose payload fails these checks is recorded as rejected with the reason, and its seq still
 * advances, so one bad entry never blocks a kiosk's queue (sync-protocol reference, step 3).
 */
import { z } from 'zod';

const id = z.string().min(1).max(128);
const hex64 = /^[0-9a-f]{64}$/;

export const applicationPayload = z.looseObject({
  id,
  itemCode: z.string().min(1),
  jurisdiction: z.string().min(1),
  submittedAt: z.string().min(1),
  attachments: z.array(z.looseObject({ sha256: z.string().regex(hex64) })).optional(),
});

export const ticketPayload = z.looseObject({
  id,
  idempotencyKey: z.string().min(1),
  window: z.string().min(1),
  number: z.string().min(1),
  serviceDate: z.string().min(1),
  issuedAt: z.string().min(1),
});

export const evaluationPayload = z.looseObject({
  id,
  targetKind: z.enum(['application', 'ticket']),
  targetId: z.string().min(1),
  level: z.enum(['very-satisfied', 'satisfied', 'basically-satisfied', 'dissatisfied', 'very-dissatisfied']),
  createdAt: z.string().min(1),
});

/** 补齐补正: pages for the materials the hall asked for, added to an application already received. */
export const supplementPayload = z.looseObject({
  id,
  applicationId: id,
  submittedAt: z.string().min(1),
  attachments: z
    .array(z.looseObject({ sha256: z.string().regex(hex64), materialCode: z.string().min(1) }))
    .min(1),
});

export const auditPayload = z.looseObject({ at: z.string().min(1), action: z.string().min(1) });

export const ENTRY_KINDS = [
  'application',
  'queue-ticket',
  'evaluation',
  'supplement',
  'audit-event',
] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

export type ParsedEntry =
  | { kind: 'application'; value: z.infer<typeof applicationPayload> }
  | { kind: 'queue-ticket'; value: z.infer<typeof ticketPayload> }
  | { kind: 'evaluation'; value: z.infer<typeof evaluationPayload> }
  | { kind: 'supplement'; value: z.infer<typeof supplementPayload> }
  | { kind: 'audit-event'; value: z.infer<typeof auditPayload> };

export type ParseResult = { ok: true; entry: ParsedEntry; json: unknown } | { ok: false; reason: string };

const issues = (e: z.ZodError): string =>
  e.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');

export function parseEntryPayload(kind: string, payload: string): ParseResult {
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return { ok: false, reason: 'payload is not JSON' };
  }
  const wrap = <K extends EntryKind, T>(k: K, r: z.ZodSafeParseResult<T>): ParseResult =>
    r.success
      ? { ok: true, entry: { kind: k, value: r.data } as ParsedEntry, json }
      : { ok: false, reason: `invalid ${k}: ${issues(r.error)}` };
  switch (kind) {
    case 'application':
      return wrap('application', applicationPayload.safeParse(json));
    case 'queue-ticket':
      return wrap('queue-ticket', ticketPayload.safeParse(json));
    case 'evaluation':
      return wrap('evaluation', evaluationPayload.safeParse(json));
    case 'supplement':
      return wrap('supplement', supplementPayload.safeParse(json));
    case 'audit-event':
      return wrap('audit-event', auditPayload.safeParse(json));
    default:
      return { ok: false, reason: `unknown entry kind "${kind}"` };
  }
}

/** Blobs an entry references: every "sha256" property holding 64 lowercase hex digits, at any depth. */
export function blobRefs(json: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(json)) for (const v of json) blobRefs(v, out);
  else if (json !== null && typeof json === 'object') {
    for (const [k, v] of Object.entries(json)) {
      if (k === 'sha256' && typeof v === 'string' && hex64.test(v)) out.add(v);
      else blobRefs(v, out);
    }
  }
  return out;
}
