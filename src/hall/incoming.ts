/**
 * Entries kiosks push (docs/sync-protocol.md, "Push"): the per-kiosk seq rules, and what each
 * entry kind does to the hall — an application opens a case, a 补正 supplement joins its case, an
 * evaluation is recorded (and a bad one opens its follow-up), an offline queue ticket joins the
 * queue.
 */
import {
  describeIssues,
  entryBlobs,
  entryRangeProblems,
  type EntryRejectCode,
  parseEntry,
  pushRequestSchema,
  type Entry,
  type ParsedEntry,
  type PushResult,
} from '../shared/wire/index.js';
import { sha256Hex } from '../shared/wire/signing.js';
import { badRequest, hallError, type HttpAnswer } from './answers.js';
import type { CaseUpdates } from './case-updates.js';
import type { DeskEventSink } from './desk-events.js';
import { maskName } from './mask.js';
import type {
  BlobIndex,
  CaseStore,
  EntryStore,
  EvaluationStore,
  HallSql,
  Kiosk,
  KioskStore,
  TicketStore,
} from './store/index.js';

/** The push request body (src/shared/wire/protocol.ts). */
export const pushBodySchema = pushRequestSchema;
export type { PushResult };

/** What the push tells about an evaluation it has just recorded (inside its transaction). */
export type EvaluationApplied = {
  id: string;
  kioskId: string;
  targetKind: string;
  targetId: string;
  level: string;
  at: string;
};

export type IncomingDeps = {
  sql: HallSql;
  kiosks: KioskStore;
  entries: EntryStore;
  cases: CaseStore;
  tickets: TicketStore;
  evaluations: EvaluationStore;
  blobs: BlobIndex;
  caseUpdates: CaseUpdates;
  clock: () => Date;
  /**
   * Called inside the push's transaction after an evaluation is recorded, and awaited (好差评
   * follow-up: a bad review opens its task atomically with it). A throw or a rejection rolls the
   * whole push back (503, retried).
   */
  onEvaluationApplied?: (e: EvaluationApplied) => Promise<void> | void;
  /** The live desk (desk-events.ts): told of new cases and supplements once they are kept. */
  desk?: DeskEventSink;
};

/**
 * What an applied entry's hall reference starts with (the entry store adds its id): an application's
 * own jurisdiction — 异地申报、属地审批, it is routed by where it is decided, not by the kiosk — and
 * T, V and S for a ticket, an evaluation and a supplement.
 */
function referencePrefix(entry: Entry): string {
  switch (entry.kind) {
    case 'application':
      return entry.payload.jurisdiction;
    case 'queue-ticket':
      return 'T';
    case 'evaluation':
      return 'V';
    case 'supplement':
      return 'S';
    default: {
      const never: never = entry;
      throw new Error(`unhandled kind ${JSON.stringify(never)}`);
    }
  }
}

type Refused = { ok: false; code: EntryRejectCode; reason: string };
const refuse = (code: EntryRejectCode, reason: string): Refused => ({ ok: false, code, reason });

/**
 * The code of a refusal recorded earlier, from its words (a retried batch answers its duplicates with
 * the first answer; the entries table keeps the words only).
 */
export function rejectCodeOf(reason: string | null): EntryRejectCode | undefined {
  if (reason === null) return undefined;
  if (reason.startsWith('unknown entry kind')) return 'unknown-kind';
  if (reason === 'payload is not JSON') return 'not-json';
  if (reason.startsWith('invalid ')) return 'invalid';
  if (reason.startsWith('out of range')) return 'out-of-range';
  if (reason.endsWith('already received')) return 'already-received';
  if (reason.includes('names an unknown application')) return 'unknown-application';
  if (reason.includes('submitted by another kiosk')) return 'not-owner';
  return undefined;
}

export function createIncoming(deps: IncomingDeps) {
  const { sql, kiosks, entries: stored, cases, tickets, evaluations, blobs, clock } = deps;

  /**
   * A supplement or an evaluation acts on an application: only the kiosk that submitted it may
   * (docs/security.md, "Whose card, whose case") — another kiosk knowing its id is no owner.
   */
  async function ownCase(kiosk: Kiosk, what: string, applicationId: string) {
    const app = await cases.summary(applicationId);
    if (!app) return refuse('unknown-application', `${what} names an unknown application ${applicationId}`);
    if (app.kioskId !== kiosk.id)
      return refuse('not-owner', `${what}: application ${applicationId} was submitted by another kiosk`);
    return { ok: true as const, app };
  }

  /** Applies one parsed entry; a code and a reason instead of a reference reject it. */
  async function applyEntry(
    kiosk: Kiosk,
    entryId: number,
    parsed: Entry,
    payload: string,
    at: string,
  ): Promise<{ ok: true } | Refused> {
    // Values outside what the service can mean never reach the cases and their reports.
    const problems = entryRangeProblems(parsed);
    if (problems.length > 0) return refuse('out-of-range', `out of range: ${problems.join('; ')}`);
    switch (parsed.kind) {
      case 'application': {
        const v = parsed.payload;
        const opened = await cases.insert({
          id: v.id,
          kioskId: kiosk.id,
          entryId,
          jurisdiction: v.jurisdiction,
          itemCode: v.itemCode,
          status: 'received',
          payload,
          at,
        });
        if (!opened) return refuse('already-received', `application ${v.id} already received`);
        for (const sha of entryBlobs(parsed)) await cases.linkBlob(v.id, sha);
        sql.afterCommit(() =>
          deps.desk?.caseReceived(
            {
              id: v.id,
              receiptNo: v.receiptNo,
              itemCode: v.itemCode,
              jurisdiction: v.jurisdiction,
              kioskId: kiosk.id,
              caseType: v.caseType,
              applicantMasked: maskName(v.applicant.name),
              submittedAt: v.submittedAt,
              at,
            },
            () => cases.exists(v.id),
          ),
        );
        return { ok: true };
      }
      case 'queue-ticket': {
        const v = parsed.payload;
        const taken = await tickets.insert({
          id: v.id,
          kioskId: kiosk.id,
          entryId,
          window: v.window,
          number: v.number,
          serviceDate: v.serviceDate,
          payload,
          at,
          priority: v.priority ?? null,
        });
        if (!taken) return refuse('already-received', `ticket ${v.id} already received`);
        return { ok: true };
      }
      case 'evaluation': {
        const v = parsed.payload;
        if (v.targetKind === 'application') {
          const own = await ownCase(kiosk, `evaluation ${v.id}`, v.targetId);
          if (!own.ok) return own;
        }
        const given = await evaluations.insert({
          id: v.id,
          kioskId: kiosk.id,
          entryId,
          targetKind: v.targetKind,
          targetId: v.targetId,
          level: v.level,
          payload,
          at,
        });
        if (!given) return refuse('already-received', `evaluation ${v.id} already received`);
        await deps.onEvaluationApplied?.({
          id: v.id,
          kioskId: kiosk.id,
          targetKind: v.targetKind,
          targetId: v.targetId,
          level: v.level,
          at,
        });
        return { ok: true };
      }
      case 'supplement': {
        const v = parsed.payload;
        const own = await ownCase(kiosk, `supplement ${v.id}`, v.applicationId);
        if (!own.ok) return own;
        const { app } = own;
        if (await cases.supplementExists(v.id))
          return refuse('already-received', `supplement ${v.id} already received`);
        await cases.addSupplement({ id: v.id, applicationId: app.id, entryId, payload, at });
        for (const sha of entryBlobs(parsed)) await cases.linkBlob(app.id, sha);
        sql.afterCommit(() =>
          deps.desk?.supplementReceived(
            { caseId: app.id, receiptNo: v.receiptNo, kioskId: kiosk.id, jurisdiction: app.jurisdiction, at },
            () => cases.supplementExists(v.id),
          ),
        );
        // Back on the desk for review; the kiosk hears it as a case-status change.
        if (app.status === 'correction-requested') {
          await deps.caseUpdates.setCaseStatus(app.id, { status: 'supplement-received', at });
        }
        return { ok: true };
      }
      default: {
        const never: never = parsed;
        throw new Error(`unhandled kind ${JSON.stringify(never)}`);
      }
    }
  }

  /**
   * The seq rules (docs/sync-protocol.md, 4.1), all in one IMMEDIATE transaction so an entry's effects and
   * lastAppliedSeq move together: seq ≤ last → duplicate (acked if its hash matches, else alert and
   * conflict); seq = last+1 → apply (or reject with a reason) and advance; seq > last+1 → stop, 409
   * gap with the expected seq (what came before it in the batch stays applied).
   */
  const codeOf = (reason: string | null): { code?: EntryRejectCode } => {
    const code = rejectCodeOf(reason);
    return code ? { code } : {};
  };

  const push = async (kioskId: string, raw: unknown): Promise<HttpAnswer> => {
    const parsedBody = pushBodySchema.safeParse(raw);
    if (!parsedBody.success) return badRequest(describeIssues(parsedBody.error));
    const entries = parsedBody.data.entries;
    for (let i = 1; i < entries.length; i++) {
      if ((entries[i]?.seq ?? 0) <= (entries[i - 1]?.seq ?? 0))
        return badRequest('entries must be in strictly increasing seq order');
    }
    for (const e of entries) {
      if (sha256Hex(e.payload) !== e.payloadHash) {
        return hallError(
          400,
          'payload-hash-mismatch',
          `payloadHash of seq ${e.seq} is not the sha256 of its payload`,
          { seq: e.seq },
        );
      }
    }
    // Another hall node may push for the same kiosk at the same time: its row is locked for the
    // transaction (PostgreSQL FOR UPDATE; SQLite's IMMEDIATE transaction locks the file), and the
    // unique (kiosk_id, seq) of entries refuses a second row for one seq whatever happens.
    // The live desk hears of new cases and supplements once the push has committed (sql.afterCommit):
    // at the end of this transaction, or of the batch-sync request's it runs in.
    const work = async (): Promise<HttpAnswer> => {
      const kiosk = await kiosks.getForUpdate(kioskId);
      if (!kiosk) return hallError(401, 'unknown-kiosk', 'unknown kiosk');
      let last = kiosk.lastAppliedSeq;
      // Blobs first: an entry that would be applied must find every blob it references.
      const parsed = new Map<number, ParsedEntry>();
      const wanted: string[] = [];
      let expect = last + 1;
      for (const e of entries) {
        if (e.seq < expect) continue;
        if (e.seq > expect) break;
        const p = parseEntry(e.kind, e.payload);
        parsed.set(e.seq, p);
        if (p.ok) wanted.push(...entryBlobs(p.entry));
        expect++;
      }
      // The whole batch's blobs asked at once (share-locked on PostgreSQL until the push commits).
      const held = wanted.length > 0 ? await blobs.held(wanted) : new Set<string>();
      const missing = new Set(wanted.filter((sha) => !held.has(sha)));
      if (missing.size > 0) {
        return hallError(409, 'missing-blobs', 'upload these blobs first', {
          hashes: [...missing].sort(),
          ackedThroughSeq: last,
        });
      }
      const at = clock().toISOString();
      const results: PushResult[] = [];
      for (const e of entries) {
        if (e.seq <= last) {
          const prior = await stored.get(kioskId, e.seq);
          if (prior && prior.payloadHash === e.payloadHash) {
            results.push({
              seq: e.seq,
              status: prior.status,
              duplicate: true,
              hallReference: prior.hallReference,
              ...(prior.reason ? { reason: prior.reason } : {}),
              ...(prior.status === 'rejected' ? codeOf(prior.reason) : {}),
            });
          } else {
            await stored.alert({
              at,
              kioskId,
              kind: 'seq-conflict',
              detail: {
                seq: e.seq,
                receivedHash: e.payloadHash,
                storedHash: prior?.payloadHash ?? null,
              },
            });
            results.push({
              seq: e.seq,
              status: 'conflict',
              duplicate: true,
              hallReference: prior?.hallReference ?? null,
              reason: 'a different payload was already applied under this seq',
            });
          }
          continue;
        }
        if (e.seq > last + 1) {
          await kiosks.setLastAppliedSeq(kioskId, last, at);
          return hallError(409, 'gap', `expected seq ${last + 1}, got ${e.seq}`, {
            expectedSeq: last + 1,
            ackedThroughSeq: last,
            results,
          });
        }
        const p = parsed.get(e.seq) ?? parseEntry(e.kind, e.payload);
        const base = {
          kioskId,
          seq: e.seq,
          kind: e.kind,
          payload: e.payload,
          payloadHash: e.payloadHash,
          at,
        };
        if (!p.ok) {
          await stored.insert({ ...base, status: 'rejected', reason: p.reason, referencePrefix: null });
          results.push({
            seq: e.seq,
            status: 'rejected',
            duplicate: false,
            hallReference: null,
            reason: p.reason,
            code: p.code,
          });
        } else {
          const { id: entryId, hallReference } = await stored.insert({
            ...base,
            status: 'applied',
            reason: null,
            referencePrefix: referencePrefix(p.entry),
          });
          const applied = await applyEntry(
            { ...kiosk, lastAppliedSeq: last },
            entryId,
            p.entry,
            e.payload,
            at,
          );
          if (applied.ok) {
            results.push({ seq: e.seq, status: 'applied', duplicate: false, hallReference });
          } else {
            await stored.markRejected(entryId, applied.reason);
            results.push({
              seq: e.seq,
              status: 'rejected',
              duplicate: false,
              hallReference: null,
              reason: applied.reason,
              code: applied.code,
            });
          }
        }
        last = e.seq;
      }
      await kiosks.setLastAppliedSeq(kioskId, last, at);
      return { status: 200, body: { ackedThroughSeq: last, results } };
    };
    // Inside a batch-sync request's transaction the push joins it rather than open a savepoint: a
    // throw ends that request as a whole (nothing between catches it), which is what rolling back a
    // savepoint would come to, and PostgreSQL saves two round trips a request.
    return sql.inTransaction() ? work() : sql.transaction(work);
  };

  return { push };
}

export type Incoming = ReturnType<typeof createIncoming>;
