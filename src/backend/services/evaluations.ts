/**
 * 好差评 (issue 4, flow 4; gov-service.md "好差评"): an evaluation of an application or a queue
 * ticket, stored with channel = self-service terminal and the version of the content items shown,
 * and written to the outbox in the same transaction. Never pre-selected; the evaluator's identity
 * is not stored with it (the target links it to the matter, not to the person's name).
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
import type { Db } from '../store/db.js';
import { encodeEntry, type EvaluationEntry } from '../../shared/wire/index.js';

export const KIOSK_CHANNEL = 'self-service-terminal' satisfies EvaluationEntry['channel'];

export type EvaluationInput = {
  target: { kind: 'application' | 'ticket'; id: string };
  level: EvaluationLevel;
  contentItems: string[];
  reason?: string | undefined;
  comment?: string | undefined;
  idempotencyKey: string;
};

export type EvaluateResult =
  | { ok: true; id: string; reused: boolean }
  | {
      ok: false;
      error:
        | { kind: 'invalid'; problems: EvaluationProblem[] }
        | { kind: 'unknown-target' }
        | { kind: 'already-evaluated' };
    };

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
  onOutbox?: () => void;
}) {
  const { db, clock } = deps;
  const q = {
    byKey: db.prepare('SELECT id FROM evaluations WHERE idempotency_key = ?').pluck(),
    existing: db.prepare('SELECT id FROM evaluations WHERE target_kind = ? AND target_id = ?').pluck(),
    app: db.prepare('SELECT 1 FROM applications WHERE id = ?').pluck(),
    ticket: db.prepare('SELECT 1 FROM queue_tickets WHERE id = ?').pluck(),
    ins: db.prepare(
      `INSERT INTO evaluations (id, target_kind, target_id, level, content_items, reason, comment, channel, created_at, idempotency_key, items_version)
       VALUES (@id, @kind, @targetId, @level, @items, @reason, @comment, @channel, @at, @key, @version)`,
    ),
    outbox: db.prepare(
      "INSERT INTO outbox (kind, entity_id, payload, created_at) VALUES ('evaluation', ?, ?, ?)",
    ),
    audit: db.prepare(
      "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (?, 'resident', 'evaluate', ?, ?)",
    ),
  };

  return {
    items: (): EvaluationItems => deps.items(),

    submit(input: EvaluationInput): EvaluateResult {
      const done = q.byKey.get(input.idempotencyKey) as string | undefined;
      if (done) return { ok: true, id: done, reused: true };
      const exists =
        input.target.kind === 'application' ? q.app.get(input.target.id) : q.ticket.get(input.target.id);
      if (exists === undefined) return { ok: false, error: { kind: 'unknown-target' } };
      if (q.existing.get(input.target.kind, input.target.id) !== undefined)
        return { ok: false, error: { kind: 'already-evaluated' } };
      const items = deps.items();
      const reason = input.reason?.trim() || undefined;
      const comment = input.comment?.trim() || undefined;
      const problems = validateEvaluation(
        { level: input.level, contentItems: input.contentItems, reason, comment },
        items,
      );
      if (problems.length > 0) return { ok: false, error: { kind: 'invalid', problems } };
      const id = randomUUID();
      const at = clock().toISOString();
      db.transaction(() => {
        q.ins.run({
          id,
          kind: input.target.kind,
          targetId: input.target.id,
          level: input.level,
          items: JSON.stringify(input.contentItems),
          reason: reason ?? null,
          comment: comment ?? null,
          channel: KIOSK_CHANNEL,
          at,
          key: input.idempotencyKey,
          version: items.version,
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
        q.outbox.run(id, encodeEntry('evaluation', entry), at);
        q.audit.run(at, id, JSON.stringify({ target: input.target.kind, level: input.level }));
      }).immediate();
      deps.onOutbox?.();
      return { ok: true, id, reused: false };
    },
  };
}
export type EvaluationService = ReturnType<typeof createEvaluationService>;
