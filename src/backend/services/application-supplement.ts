/**
 * 补正 (docs/resident-journey.md, "进度查询 (progress)"): when the hall asked for a correction, the pages captured
 * in the session for the requested materials are added to the application — attachments, the new status and
 * its history, the outbox entry and the audit entry in one transaction — and the hall gets them with the
 * next push. Idempotent by the screen's key, like the submission.
 */
import { randomUUID } from 'node:crypto';
import type { ApplicationDetail } from '../../shared/index.js';
import {
  err,
  isStorageFull,
  notFound,
  ok,
  sessionExpired,
  storageFull,
  type NotFound,
  type Result,
  type SessionExpired,
  type StorageFull,
} from '../../shared/result.js';
import type { Attachment } from '../../shared/wire/index.js';
import { createApplicationsStore } from '../store/applications-store.js';
import { createAttachmentsStore } from '../store/attachments-store.js';
import { createAuditStore } from '../store/audit-store.js';
import type { Db } from '../store/db.js';
import { createOutboxWriter } from '../store/outbox-writer.js';
import type { Progress } from './application-progress.js';
import type { AccessDenied, TooManyAttempts } from '../../shared/index.js';
import type { CaseAccess } from './case-access.js';
import type { SessionService } from './session.js';

export type SupplementError =
  | SessionExpired
  /** No application by that id (any more). */
  | NotFound
  /** Neither the applicant's card nor the receipt's access code (case-access.ts): nothing changed. */
  | AccessDenied
  | TooManyAttempts
  | { kind: 'no-correction' }
  | { kind: 'missing-materials'; materials: string[] }
  | { kind: 'storage'; message: string }
  /** The disk is full: nothing was attached; the session keeps the captured pages. */
  | StorageFull;

export type Supplemented = { application: ApplicationDetail; reused: boolean };

export type SupplementResult = Result<Supplemented, SupplementError>;

export function createSupplements(deps: {
  db: Db;
  sessions: SessionService;
  progress: Progress;
  access: CaseAccess;
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
    return application ? ok({ application, reused }) : notFound();
  };

  /** The pages captured in the session for the requested materials, added to the application. */
  return function supplement(input: {
    sessionId: string;
    applicationId: string;
    idempotencyKey: string;
    accessCode?: string | undefined;
  }): SupplementResult {
    // Whose case first: a replayed key answers only a session that may see the application.
    const allowed = deps.access.authorise(input.sessionId, input.applicationId, input.accessCode);
    if (!allowed.ok) return allowed;
    const done = applications.supplementByKey(input.idempotencyKey);
    if (done) return answer(done, true);
    const held = deps.sessions.held(input.sessionId);
    if (!held) return sessionExpired();
    const r = allowed.value;
    const current = progress.detail(r).correction;
    if (!current) return err({ kind: 'no-correction' });
    const materials = current.materials.map((m) => m.code);
    const missing = materials.filter((code) => (held.pages.get(code)?.length ?? 0) === 0);
    if (missing.length > 0) return err({ kind: 'missing-materials', materials: missing });
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
      if (isStorageFull(e)) return storageFull();
      return err({ kind: 'storage', message: e instanceof Error ? e.message : String(e) });
    }
    deps.sessions.releasePages(input.sessionId, materials);
    deps.onOutbox?.();
    return answer(r.id, false);
  };
}
