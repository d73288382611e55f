/**
 * A case's status moves (a staff action: 受理, 补齐补正, 办结 …; or a supplement arriving): the
 * application is updated and a `case-status` change for the kiosk that submitted it is appended,
 * in one transaction. The live desk hears of it once that transaction (or the caller's, around it)
 * has committed (sql.afterCommit).
 */
import type { CaseStatusData } from '../shared/wire/index.js';
import type { Change, ChangeFeed } from './change-feed.js';
import type { DeskEventSink } from './desk-events.js';
import type { CaseStore, HallSql } from './store/index.js';

export function createCaseUpdates(deps: {
  sql: HallSql;
  cases: CaseStore;
  feed: ChangeFeed;
  /** The live desk (desk-events.ts): told of each move once it is kept. */
  desk?: DeskEventSink;
}) {
  const { sql, cases, feed } = deps;

  const setCaseStatus = async (
    applicationId: string,
    data: CaseStatusData,
  ): Promise<{ ok: true; change: Change } | { ok: false; error: 'unknown-application' }> => {
    const app = await cases.summary(applicationId);
    if (!app) return { ok: false, error: 'unknown-application' };
    const change = await sql.transaction(async () => {
      await cases.setStatus(applicationId, data.status, data.at);
      return feed.appendChange({
        kioskId: app.kioskId,
        stream: 'case-status',
        key: applicationId,
        op: 'put',
        data,
      });
    });
    // Told once committed: at once when this was the transaction, else when the caller's commits.
    sql.afterCommit(() =>
      deps.desk?.caseStatus(
        { caseId: applicationId, jurisdiction: app.jurisdiction, status: data.status, at: data.at },
        async () => (await cases.summary(applicationId))?.status === data.status,
      ),
    );
    return { ok: true, change };
  };

  return { setCaseStatus };
}

export type CaseUpdates = ReturnType<typeof createCaseUpdates>;
