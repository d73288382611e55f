/**
 * GET /v1/staff/cases/{id}/documents/{kind}.pdf (docs/sync-protocol.md, 8.8): the document a case's
 * decision gives the resident — 受理通知书 once it was accepted, 补正告知书 (the materials by their
 * catalog names, and the note) once a correction was asked for, 不予受理决定书 (with the reason)
 * once it was refused — rendered in the document worker. Staff of the case's jurisdictions only
 * (another's case is 404); 409 `invalid-transition` while the case has not reached that decision.
 * Each document generated is written to the audit log (`case.document-pdf`): it carries the
 * applicant's full name, as the resident receives it — masked for a role that may not reveal it.
 */
import { maskName } from '../shared/mask.js';
import { calendarDay } from '../shared/working-days.js';
import { staffMay } from '../shared/staff-roles.js';
import { CASE_DOCUMENT_NAMES, type CaseDocumentKind } from '../shared/wire/index.js';
import type { CjkFonts } from '../shared/cjk-font.js';
import { hallError, notFound, type HttpAnswer } from './answers.js';
import type { Audit } from './audit.js';
import type { CaseActionDetail } from './case-detail.js';
import type { HallCatalog } from './catalog.js';
import type { CaseDocumentInput, DocumentWording } from './document-pdf.js';
import type { DocumentJob } from './document-worker.js';
import { staffCovers, type Staff } from './staff.js';
import { createCaseStore, hallSqlOf, readApplication, type HallDatabase } from './store/index.js';
import type { Supervision } from './supervision.js';

export type CaseDocumentsDeps = {
  db: HallDatabase;
  catalog: HallCatalog | null;
  supervision: Supervision;
  wording: DocumentWording;
  /** null when the CJK font is not installed: documents are then 503 with the reason. */
  fonts: { ok: true; fonts: CjkFonts } | { ok: false; error: string };
  render: (job: DocumentJob) => Promise<Buffer>;
  audit: Audit;
  timeZone: string;
  hallName: string;
  sealText: string;
};

/** The action a document records: the latest event of it in the case's history. */
const ACTION_OF: Readonly<Record<CaseDocumentKind, string>> = {
  acceptance: 'accept',
  correction: 'request-correction',
  refusal: 'refuse',
};

/** 2026年3月2日 */
const chineseDate = (day: string): string => {
  const [y, m, d] = day.split('-').map(Number);
  return `${y}年${m}月${d}日`;
};

export function createCaseDocuments(deps: CaseDocumentsDeps) {
  const cases = createCaseStore(hallSqlOf(deps.db));
  const { timeZone } = deps;

  /** The document's facts, or the refusal to give it. */
  async function prepare(
    who: Staff,
    id: string,
    kind: CaseDocumentKind,
  ): Promise<{ ok: true; input: CaseDocumentInput } | { ok: false; answer: HttpAnswer }> {
    const row = await cases.record(id);
    if (!row || !staffCovers(who, row.jurisdiction))
      return { ok: false, answer: notFound('no such case in your jurisdiction') };
    const events = await cases.eventsOf(row.id);
    const event = [...events].reverse().find((e) => e.action === ACTION_OF[kind]);
    // 不予受理 is final; a 补正 or 受理 document stays available once the case has been through it.
    const reached = event !== undefined && (kind !== 'refusal' || row.status === 'refused');
    if (!reached)
      return {
        ok: false,
        answer: hallError(409, 'invalid-transition', `a case that is ${row.status} has no ${kind} document`, {
          from: row.status,
        }),
      };
    const entry = readApplication(row.payload);
    if (!entry)
      return {
        ok: false,
        answer: hallError(500, 'unavailable', 'the stored application does not parse; see the hall log'),
      };
    const detail = JSON.parse(event.detail) as CaseActionDetail;
    const itemName = deps.catalog?.itemName(row.itemCode)?.zh ?? row.itemCode;
    const applicantName = entry.applicant.name;
    const supervision = await deps.supervision.forCase(row.id);
    const promisedDay = supervision?.deadline ?? supervision?.promised ?? entry.promisedDate ?? '';
    return {
      ok: true,
      input: {
        kind,
        hallName: deps.hallName,
        sealText: deps.sealText,
        receiptNo: entry.receiptNo,
        applicant: staffMay(who, 'case.reveal') ? applicantName : maskName(applicantName),
        itemName,
        itemCode: row.itemCode,
        submittedDate: chineseDate(calendarDay(new Date(entry.submittedAt), timeZone)),
        actionDate: chineseDate(calendarDay(new Date(event.at), timeZone)),
        actionAt: event.at,
        caseType: entry.caseType,
        promisedDays: entry.promisedDays,
        promisedDate: promisedDay ? chineseDate(promisedDay) : '—',
        note: detail.note?.trim() || null,
        // A 补正 names catalog materials by code and others as free text: both shown by name.
        materials: (detail.materials ?? []).map((m) => deps.catalog?.materialName(row.itemCode, m)?.zh ?? m),
        reason: detail.reason ?? null,
      },
    };
  }

  async function pdf(who: Staff, id: string, kind: CaseDocumentKind, address?: string): Promise<HttpAnswer> {
    const p = await prepare(who, id, kind);
    if (!p.ok) return p.answer;
    if (!deps.fonts.ok) return hallError(503, 'unavailable', deps.fonts.error);
    const bytes = await deps.render({ input: p.input, wording: deps.wording, fonts: deps.fonts.fonts });
    await deps.audit.record({
      actor: who.name,
      action: 'case.document-pdf',
      jurisdiction: (await cases.summary(id))?.jurisdiction ?? null,
      caseId: id,
      address: address ?? null,
      detail: { document: kind },
    });
    const fileName = `${CASE_DOCUMENT_NAMES[kind].zh}-${p.input.receiptNo}.pdf`;
    return {
      status: 200,
      body: bytes,
      headers: {
        'content-type': 'application/pdf',
        // inline: the desk opens it in a tab to print; the name when saved.
        'content-disposition': `inline; filename="${kind}-${p.input.receiptNo}.pdf"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
        'x-content-type-options': 'nosniff',
      },
    };
  }

  return { prepare, pdf };
}

export type CaseDocuments = ReturnType<typeof createCaseDocuments>;
