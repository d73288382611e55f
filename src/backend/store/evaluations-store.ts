/** 好差评 on the kiosk: `evaluations`, one per application or queue ticket, idempotent by key. */
import type { EvaluationLevel } from '../../shared/evaluation.js';
import type { Db } from './db.js';

export type EvaluationTarget = { kind: 'application' | 'ticket'; id: string };

export function createEvaluationsStore(db: Db) {
  const q = {
    byKey: db.prepare('SELECT id FROM evaluations WHERE idempotency_key = ?').pluck(),
    ofTarget: db
      .prepare('SELECT id FROM evaluations WHERE target_kind = ? AND target_id = ? LIMIT 1')
      .pluck(),
    insert: db.prepare(
      `INSERT INTO evaluations (id, target_kind, target_id, level, content_items, reason, comment, channel, created_at, idempotency_key, items_version)
       VALUES (@id, @kind, @targetId, @level, @items, @reason, @comment, @channel, @at, @key, @version)`,
    ),
  };
  return {
    byKey: (key: string): string | undefined => q.byKey.get(key) as string | undefined,
    /** The evaluation of a target, if it has one. */
    ofTarget: (target: EvaluationTarget): string | undefined =>
      q.ofTarget.get(target.kind, target.id) as string | undefined,
    insert(e: {
      id: string;
      target: EvaluationTarget;
      level: EvaluationLevel;
      contentItems: readonly string[];
      reason: string | null;
      comment: string | null;
      channel: string;
      at: string;
      key: string;
      itemsVersion: string;
    }): void {
      q.insert.run({
        id: e.id,
        kind: e.target.kind,
        targetId: e.target.id,
        level: e.level,
        items: JSON.stringify(e.contentItems),
        reason: e.reason,
        comment: e.comment,
        channel: e.channel,
        at: e.at,
        key: e.key,
        version: e.itemsVersion,
      });
    },
  };
}
export type EvaluationsStore = ReturnType<typeof createEvaluationsStore>;
