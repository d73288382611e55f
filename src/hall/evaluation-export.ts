/**
 * 好差评 export for the common reporting interface (docs/domain.md, "Two numbering conventions":
 * store an enum, map at the export boundary). The level becomes the interface's satisfaction code, 1 = 非常不满意
 * … 5 = 非常满意 (`reportingInterfaceCode`; GB/T 39046 numbers the other way round), the channel is
 * 5 = 政务大厅其他终端 (`KIOSK_CHANNEL_CODE`). Only whitelisted fields leave the hall: nothing that
 * identifies the evaluator (the kiosk never sends it; anything else in the payload is dropped).
 * Field names are documented in docs/sync-protocol.md, 8.4 "好差评 export".
 */
import { evaluationLevelSchema } from '../shared/evaluation-schemas.js';
import {
  evaluationLevelInfo,
  KIOSK_CHANNEL_CODE,
  reportingInterfaceCode,
  type EvaluationItems,
} from '../shared/evaluation.js';
import { createEvaluationStore, hallSqlOf, readEvaluation, type HallDatabase } from './store/index.js';

export type ExportedEvaluation = {
  evaluationId: string;
  targetKind: string;
  /** 办件编号 (the application id) or the queue ticket id. */
  targetId: string;
  itemCode: string | null;
  /** 1 = 非常不满意 … 5 = 非常满意. */
  satisfaction: number;
  satisfactionName: string;
  /** 5 = 政务大厅其他终端 (self-service terminal). */
  channel: number;
  contentItems: string[];
  contentItemsVersion: string | null;
  reason: string | null;
  reasonText: string | null;
  comment: string | null;
  evaluatedAt: string;
  receivedAt: string;
};

export function createEvaluationExport(deps: {
  db: HallDatabase;
  clock: () => Date;
  items: EvaluationItems | null;
}) {
  const store = createEvaluationStore(hallSqlOf(deps.db));
  const reasonText = (code: string): string | null =>
    deps.items?.reasons.find((r) => r.code === code)?.zh ?? null;
  const str = (v: string | null | undefined): string | null => (v && v.trim() !== '' ? v.trim() : null);

  /**
   * The evaluations of every jurisdiction given (an account bound to several exports all of them);
   * `jurisdiction` stays the first for older readers, `jurisdictions` names them all.
   */
  async function exportJurisdiction(jurisdictions: readonly string[]) {
    const all = [...new Set(jurisdictions)];
    const jurisdiction = all[0] ?? '';
    const evaluations: ExportedEvaluation[] = [];
    const rows: Awaited<ReturnType<typeof store.inJurisdiction>> = [];
    for (const j of all) rows.push(...(await store.inJurisdiction(j)));
    for (const r of rows) {
      const level = evaluationLevelSchema.safeParse(r.level);
      if (!level.success) continue; // the push accepts only the five levels
      const p = readEvaluation(r.payload);
      const reason = str(p?.reason);
      evaluations.push({
        evaluationId: r.id,
        targetKind: r.targetKind,
        targetId: r.targetId,
        itemCode: r.itemCode,
        satisfaction: reportingInterfaceCode(level.data),
        satisfactionName: evaluationLevelInfo(level.data).zh,
        channel: KIOSK_CHANNEL_CODE,
        contentItems: p?.contentItems ?? [],
        contentItemsVersion: str(p?.itemsVersion),
        reason,
        reasonText: reason === null ? null : (reasonText(reason) ?? reason),
        comment: str(p?.comment),
        evaluatedAt: str(p?.createdAt) ?? r.receivedAt,
        receivedAt: r.receivedAt,
      });
    }
    return {
      generatedAt: deps.clock().toISOString(),
      jurisdiction,
      jurisdictions: all,
      coding: {
        satisfaction:
          '1 = 非常不满意, 2 = 不满意, 3 = 基本满意, 4 = 满意, 5 = 非常满意 (common reporting interface)',
        channel: `${KIOSK_CHANNEL_CODE} = 政务大厅其他终端 (self-service terminal)`,
      },
      evaluations,
    };
  }

  return { exportJurisdiction };
}

/** The body of GET /v1/staff/evaluations/export (docs/sync-protocol.md, section 8.4). */
export type EvaluationExport = Awaited<
  ReturnType<ReturnType<typeof createEvaluationExport>['exportJurisdiction']>
>;
