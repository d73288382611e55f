/**
 * 补正 (docs/resident-journey.md, "进度查询 (progress)"): when the hall asked for a correction, the pages captured
 * in the session for the requested materials are added to the application — attachments, the new status and
 * its history, the outbox entry and the audit entry in one transaction — and the hall gets them with the
 * next push. Idempotent by the screen's key, like the submission.
 */
import { randomUUID } from 'node:crypto';
import type { ApplicationDetail } from '../../shared/index.js';
import type { Attachment } from '../../shared/wire/index.js';
import { createApplicationsStore } from '../store/applications-store.js';
import { createAttachmentsStore } from '../store/attachments-store.js';
import { createAuditStore } from '../store/audit-store.js';
import type { Db } from '../store/db.js';
import { createOutboxWriter } from '../store/outbox-writer.js';
import type { Progress } from './application-progress.js';
import type { SessionService } from './session.js';

export type SupplementError =
  | { kind: 'no-session' }
  | { kind: 'not-found' }
  | { kind: 'no-correction' }
  | { kind: 'missing-materials'; materials: string[] }
  | { kind: 'storage'; message: string };

export type SupplementResult =
  { ok: true; application: ApplicationDetail; reused: boolean } | { ok: false; error: SupplementError };

export function createSupplements(deps: {
  db: Db;
  sessions: SessionService;
  progress: Progress;
  clock: () => Date;
  onOutbox?: (() => void) | undefined;
}) {
  const { db, progress } = deps;
  const applications = createApplicationsStore(db);
  const attachments = createAttachmentsStore(db);
  const outbox = createOutboxWriter(db);
  const audit = createAuditStore(db);

  const answer = (id: string, reused: boolean): SupplementResult => {
    const application = progress.byId(id);
    return application ? { ok: true, application, reused } : { ok: false, error: { kind: 'not-found' } };
  };

  /** The pages captured in the session for the requested materials, added to the application. */
  return function supplement(input: {
    sessionId: string;
    applicationId: string;
    idempotencyKey: string;
  }): SupplementResult {
    const done = applications.supplementByKey(input.idempotencyKey);
    if (done) return answer(done, true);
    const held = deps.sessions.held(input.sessionId);
    if (!held) return { ok: false, error: { kind: 'no-session' } };
    const r = applications.byId(input.applicationId);
    if (!r) return { ok: false, error: { kind: 'not-found' } };
    const current = progress.detail(r).correction;
    if (!current) return { ok: false, error: { kind: 'no-correction' } };
    const materials = current.materials.map((m) => m.code);
    const missing = materials.filter((code) => (held.pages.get(code)?.length ?? 0) === 0);
    if (missing.length > 0) return { ok: false, error: { kind: 'missing-materials', materials: missing } };
    const at = deps.clock().toISOString();
    const supplementId = randomUUID();
    try {
      db.transaction(() => {
        applications.insertSupplement({
          id: supplementId,
          applicationId: r.id,
          key: input.idempotencyKey,
          at,
        });
        const attached: Attachment[] = [];
        for (const code of materials) {
          let position = attachments.nextPosition(r.id, code);
          for (const p of held.pages.get(code) ?? []) {
            attachments.attach({ applicationId: r.id, materialCode: code, position, supplementId, file: p });
            attached.push({ materialCode: code, sha256: p.sha256, size: p.size, position, mime: p.mime });
            position++;
          }
        }
        applications.setStatus(r.id, 'supplement-submitted', at);
        applications.addHistory({
          applicationId: r.id,
          status: 'supplement-submitted',
          at,
          source: 'kiosk',
          note: null,
          detail: JSON.stringify({ materials }),
        });
        outbox.add(
          {
            kind: 'supplement',
            payload: {
              id: supplementId,
              applicationId: r.id,
              receiptNo: r.receipt_no,
              submittedAt: at,
              attachments: attached,
            },
          },
          at,
        );
        audit.record('supplement', r.receipt_no, { materials }, at);
      }).immediate();
    } catch (e) {
      return { ok: false, error: { kind: 'storage', message: e instanceof Error ? e.message : String(e) } };
    }
    deps.sessions.releasePages(input.sessionId, materials);
    deps.onOutbox?.();
    return answer(r.id, false);
  };
}
