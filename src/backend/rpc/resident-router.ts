/**
 * The resident's API (docs/resident-journey.md): session, apply, progress, evaluation. Documented in
 * docs/api.md. Every mutation that creates something takes an idempotency key from the screen, so a retried
 * request (a double tap, a lost answer) never creates a second application, supplement or rating.
 *
 * Expected failures are answered as values — the services' `Result`s (src/shared/result.ts) passed
 * through as they are: a lapsed session is `{ ok: false, error: { kind: 'session-expired' } }` from
 * every procedure that takes one, an unknown receipt number or application `{ kind: 'not-found' }`.
 * Nothing here throws for them; tRPC itself answers BAD_REQUEST for input zod refuses.
 */
import { z } from 'zod';
import { deliveryInputSchema, RECEIPT_NO_PATTERN } from '../../shared/index.js';
import { evaluationLevelSchema } from '../../shared/evaluation-schemas.js';
import { t } from './trpc.js';

const langInput = z.enum(['zh', 'en']).default('zh');
const sessionId = z.uuid();
const key = z.string().min(8).max(80);
const target = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('item'), code: z.string().min(1).max(64) }),
  z.object({ kind: z.literal('bundle'), code: z.string().min(1).max(64) }),
]);
const material = z.string().min(1).max(64);
/** A receipt access code as typed or read (normalised and checked by case-access.ts). */
const accessCode = z.string().max(20).optional();

export const residentRouter = {
  session: t.router({
    /** Starts a fresh session (wiping anything an earlier one left). */
    start: t.procedure
      .input(z.object({ trigger: z.enum(['touch', 'card']).default('touch') }))
      .mutation(({ ctx, input }) => ctx.resident.sessions.start(input.trigger)),
    get: t.procedure
      .input(z.object({ sessionId }))
      .query(({ ctx, input }) => ctx.resident.sessions.view(input.sessionId)),
    /** 本人办理 or 帮办代办 (the helper's card first, then the applicant's). Clears identities read so far. */
    setMode: t.procedure
      .input(z.object({ sessionId, mode: z.enum(['self', 'assisted']) }))
      .mutation(({ ctx, input }) => ctx.resident.sessions.setMode(input.sessionId, input.mode)),
    /** Waits (up to timeoutMs) for a card on the reader for this role. */
    identify: t.procedure
      .input(
        z.object({
          sessionId,
          role: z.enum(['applicant', 'helper']),
          timeoutMs: z.number().int().min(500).max(120_000).default(30_000),
        }),
      )
      .mutation(({ ctx, input }) =>
        ctx.resident.sessions.identify(input.sessionId, input.role, input.timeoutMs),
      ),
    scan: t.procedure
      .input(z.object({ sessionId, material }))
      .mutation(({ ctx, input }) => ctx.resident.sessions.scan(input.sessionId, input.material)),
    /** A document-camera frame (JPEG/PNG data URL). */
    camera: t.procedure
      .input(z.object({ sessionId, material, image: z.string().max(8_000_000) }))
      .mutation(({ ctx, input }) =>
        ctx.resident.sessions.camera(input.sessionId, input.material, input.image),
      ),
    removePage: t.procedure
      .input(z.object({ sessionId, material, sha256: z.string().regex(/^[0-9a-f]{64}$/) }))
      .mutation(({ ctx, input }) =>
        ctx.resident.sessions.removePage(input.sessionId, input.material, input.sha256),
      ),
    /**
     * Ends and wipes the session: identity, unsubmitted pages and their files. Ending one that has
     * already ended is no failure (the backstop may have been first): nothing to say, so null.
     */
    end: t.procedure
      .input(
        z.object({
          sessionId: sessionId.nullable(),
          reason: z.enum(['finished', 'timeout', 'home', 'card-removed']),
        }),
      )
      .mutation(async ({ ctx, input }) => {
        await ctx.resident.sessions.end(input.sessionId, input.reason);
        return null;
      }),
  }),
  application: t.router({
    /** Merged fields, de-duplicated materials (with shared-licence state), delivery options. */
    plan: t.procedure
      .input(z.object({ sessionId, target }))
      .query(({ ctx, input }) => ctx.resident.applications.plan(input.sessionId, input.target)),
    /** Durable before it answers; then print the receipts with `print`. */
    submit: t.procedure
      .input(
        z.object({
          sessionId,
          target,
          form: z.record(z.string().max(40), z.string().max(2000)),
          delivery: deliveryInputSchema,
          integrityAcknowledged: z.boolean(),
          idempotencyKey: key,
          lang: langInput,
        }),
      )
      .mutation(({ ctx, input }) => ctx.resident.applications.submit(input)),
    /** Prints the receipts of a submission that are not printed yet (the first print, or after a fault). */
    print: t.procedure
      .input(z.object({ submissionId: z.uuid(), sessionId: sessionId.optional(), lang: langInput }))
      .mutation(({ ctx, input }) =>
        ctx.resident.applications.printSubmission(input.submissionId, input.lang, input.sessionId ?? null),
      ),
    /**
     * 即办件: waits (bounded) for the hall's decision. `offline` at once when the hall cannot be
     * reached — the application is then an ordinary one, decided later.
     */
    awaitDecision: t.procedure
      .input(z.object({ sessionId, applicationId: z.uuid(), lang: langInput }))
      .mutation(({ ctx, input }) =>
        ctx.resident.awaitDecision(input.sessionId, input.applicationId, input.lang),
      ),
  }),
  progress: t.router({
    /**
     * A receipt number typed or scanned (docs/security.md, "Receipt access codes"): the status only,
     * or the application when the session's card is the applicant's or the access code matches.
     * not-found when this kiosk has none by it; access-denied for a wrong code; too-many-attempts
     * after repeated failures (per session and per kiosk).
     */
    byReceipt: t.procedure
      .input(
        z.object({
          sessionId,
          receiptNo: z.string().trim().toUpperCase().regex(RECEIPT_NO_PATTERN),
          accessCode,
        }),
      )
      .query(({ ctx, input }) =>
        ctx.resident.applications.byReceipt(input.sessionId, input.receiptNo, input.accessCode),
      ),
    /** The identified applicant's applications (by ID card). */
    mine: t.procedure
      .input(z.object({ sessionId }))
      .query(({ ctx, input }) => ctx.resident.applications.forSession(input.sessionId)),
    /** One application, for a session that may see it (card or code): not-found when there is none (any more). */
    detail: t.procedure
      .input(z.object({ sessionId, id: z.uuid(), accessCode }))
      .query(({ ctx, input }) => ctx.resident.applications.find(input.sessionId, input.id, input.accessCode)),
    reprint: t.procedure
      .input(z.object({ sessionId, id: z.uuid(), lang: langInput, accessCode }))
      .mutation(({ ctx, input }) =>
        ctx.resident.applications.reprint(input.sessionId, input.id, input.lang, input.accessCode),
      ),
    /** 补正: submits the pages captured in this session for the requested materials (card or code). */
    supplement: t.procedure
      .input(z.object({ sessionId, applicationId: z.uuid(), idempotencyKey: key, accessCode }))
      .mutation(({ ctx, input }) => ctx.resident.applications.supplement(input)),
  }),
  guide: t.router({
    /** 打印指南: a summary on the receipt printer, or the full guide on the A4 printer when one is configured. */
    print: t.procedure
      .input(
        z.object({
          code: z.string().min(1).max(64),
          lang: langInput,
          format: z.enum(['receipt', 'a4']).default('receipt'),
        }),
      )
      .mutation(({ ctx, input }) => ctx.resident.guides.print(input.code, input.lang, input.format)),
  }),
  evaluation: t.router({
    /** Content items per level (versioned centrally) and the 差评 reasons. */
    items: t.procedure.query(({ ctx }) => ctx.resident.evaluations.items()),
    submit: t.procedure
      .input(
        z.object({
          /** An application is rated only by its applicant's card or its receipt's access code. */
          sessionId,
          accessCode,
          target: z.object({ kind: z.enum(['application', 'ticket']), id: z.uuid() }),
          level: evaluationLevelSchema,
          contentItems: z.array(z.string().min(1).max(64)).max(30),
          reason: z.string().max(200).optional(),
          comment: z.string().max(1000).optional(),
          idempotencyKey: key,
        }),
      )
      .mutation(({ ctx, input }) => ctx.resident.evaluations.submit(input)),
  }),
};
