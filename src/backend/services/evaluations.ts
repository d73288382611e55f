/**
 * 好差评 (docs/resident-journey.md, "服务评价 (好差评)"; docs/domain.md, "好差评 (service
 * evaluation)"): an evaluation of an application or a queue ticket, stored with channel = self-service
 * terminal and the version of the content items shown, and written to the outbox in the same transaction.
 * Never pre-selected; the evaluator's identity is not stored with it (the target links it to the matter, not
 * to the person's name).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEvaluationItems } from '../../shared/evaluation-schemas.js';
import {
  validateEvaluation,
  type EvaluationItems,
  type EvaluationLevel,
  type EvaluationProblem,
} from '../../shared/evaluation.js';
import { err, notFound, ok, type NotFound, type Result } from '../../shared/result.js';
import type { AccessDenied, TooManyAttempts } from '../../shared/index.js';
import type { AccessError } from './case-access.js';
import type { EvaluationEntry } from '../../shared/wire/index.js';
import { createApplicationsStore } from '../store/applications-store.js';
import { createAuditStore } from '../store/audit-store.js';
import type { Db } from '../store/db.js';
import { createEvaluationsStore } from '../store/evaluations-store.js';
import { createOutboxWriter } from '../store/outbox-writer.js';
import { createTicketsStore } from '../store/tickets-store.js';

export const KIOSK_CHANNEL = 'self-service-terminal' satisfies EvaluationEntry['channel'];

export type EvaluationInput = {
  /** The session rating: an application is rated only by its applicant's card or its receipt's code. */
  sessionId: string;
  accessCode?: string | undefined;
  target: { kind: 'application' | 'ticket'; id: string };
  level: EvaluationLevel;
  contentItems: string[];
  reason?: string | undefined;
  comment?: string | undefined;
  idempotencyKey: string;
};

export type EvaluateError =
  | { kind: 'invalid'; problems: EvaluationProblem[] }
  /** No application or ticket by that id (any more). */
  | NotFound
  | { kind: 'session-expired' }
  /** Neither the applicant's card nor the receipt's access code (case-access.ts): nothing stored. */
  | AccessDenied
  | TooManyAttempts
  | { kind: 'already-evaluated' };

export type EvaluateResult = Result<{ id: string; reused: boolean }, EvaluateError>;

export function loadSeedEvaluationItems(resourcesDir: string): EvaluationItems {
  const parsed = parseEvaluationItems(
    JSON.parse(readFileSync(join(resourcesDir, 'evaluation', 'items.json'), 'utf8')) as unknown,
  );
  if (!parsed.ok) throw new Error(`resources/evaluation/items.json: ${parsed.error}`);
  return parsed.value;
}

export function createEvaluationService(deps: {
  db: Db;
  clock: () => Date;
  items: () => EvaluationItems;
  /** case-access.ts: whether the session may act on an application (tickets need no check). */
  authorise: (sessionId: string, applicationId: string, accessCode?: string) => Result<unknown, AccessError>;
  onOutbox?: () => void;
}) {
  const { db, clock } = deps;
  const evaluations = createEvaluationsStore(db);
  const applications = createApplicationsStore(db);
  const tickets = createTicketsStore(db);
  const outbox = createOutboxWriter(db);
  const audit = createAuditStore(db);

  return {
    items: (): EvaluationItems => deps.items(),

    submit(input: EvaluationInput): EvaluateResult {
      if (input.target.kind === 'application') {
        // Whose case first: a rating (the first one wins; a bad one opens a follow-up) is the applicant's.
        const allowed = deps.authorise(input.sessionId, input.target.id, input.accessCode);
        if (!allowed.ok) return allowed;
      }
      const done = evaluations.byKey(input.idempotencyKey);
      if (done) return ok({ id: done, reused: true });
      const exists =
        input.target.kind === 'application'
          ? applications.statusOf(input.target.id) !== undefined
          : tickets.exists(input.target.id);
      if (!exists) return notFound();
      if (evaluations.ofTarget(input.target) !== undefined) return err({ kind: 'already-evaluated' });
      const items = deps.items();
      const reason = input.reason?.trim() || undefined;
      const comment = input.comment?.trim() || undefined;
      const problems = validateEvaluation(
        { level: input.level, contentItems: input.contentItems, reason, comment },
        items,
      );
      if (problems.length > 0) return err({ kind: 'invalid', problems });
      const id = randomUUID();
      const at = clock().toISOString();
      db.transaction(() => {
        evaluations.insert({
          id,
          target: input.target,
          level: input.level,
          contentItems: input.contentItems,
          reason: reason ?? null,
          comment: comment ?? null,
          channel: KIOSK_CHANNEL,
          at,
          key: input.idempotencyKey,
          itemsVersion: items.version,
        });
        const entry: EvaluationEntry = {
          id,
          targetKind: input.target.kind,
          targetId: input.target.id,
          level: input.level,
          contentItems: input.contentItems,
          reason: reason ?? null,
          comment: comment ?? null,
          channel: KIOSK_CHANNEL,
          itemsVersion: items.version,
          createdAt: at,
        };
        outbox.add({ kind: 'evaluation', payload: entry }, at);
        audit.record('evaluate', id, { target: input.target.kind, level: input.level }, at);
      }).immediate();
      deps.onOutbox?.();
      return ok({ id, reused: false });
    },
  };
}
export type EvaluationService = ReturnType<typeof createEvaluationService>;
