/**
 * One case as the staff desk shows it: the application's fields with the applicant's name and ID
 * number masked and no photo (docs/privacy.md, "What is shown where"), the scanned materials (from the
 * application and its 补正 supplements) by material code, the case history, the actions its status
 * allows, and its 电子监察 state.
 */
import {
  allowedCaseActions,
  maskIdNumber,
  maskName,
  maskPhone,
  type HallCaseStatus,
  type StaffCaseAction,
} from '../shared/index.js';
import type { Attachment as EntryAttachment } from '../shared/wire/index.js';
import type { Result } from '../shared/result.js';
import { hallError, notFound, type HttpAnswer } from './answers.js';
import type { Audit } from './audit.js';
import type { BlobReadError } from './blob-store.js';
import type { HallCatalog } from './catalog.js';
import { displayFields } from './mask.js';
import { staffCovers, type Staff } from './staff.js';
import {
  createCaseListStore,
  createCaseStore,
  jsonObject,
  readApplication,
  readSupplement,
  hallSqlOf,
  type HallDatabase,
} from './store/index.js';
import type { CaseSupervision, Supervision } from './supervision.js';

type Person = { name: string; idNumber: string };

const MOBILE = /^1[3-9]\d{9}$/;

export type Attachment = EntryAttachment & { source: 'application' | 'supplement' };

/** What a staff action carried, as recorded in the case history (the action's fields but its name). */
export type CaseActionDetail = {
  note?: string;
  reason?: string;
  materials?: string[];
  result?: string;
  trackingNumber?: string;
};

export type CaseEvent = {
  at: string;
  staff: string;
  action: StaffCaseAction;
  from: HallCaseStatus;
  to: HallCaseStatus;
  detail: CaseActionDetail;
};

/** The body of GET /v1/staff/cases/{id} (docs/sync-protocol.md, section 8.1); the staff page reads it. */
export type CaseDetail = {
  id: string;
  kioskId: string;
  jurisdiction: string;
  itemCode: string;
  status: HallCaseStatus;
  receivedAt: string;
  updatedAt: string;
  /** Masked (张*三, 6101**********1234). */
  applicant: Person | null;
  helper: Person | null;
  fields: { path: string; value: string }[];
  attachments: Attachment[];
  materials: string[];
  supplements: { id: string; receivedAt: string; materials: string[] }[];
  events: CaseEvent[];
  allowedActions: StaffCaseAction[];
  supervision: CaseSupervision | null;
  /** 受理编号; null when the stored payload does not parse. */
  receiptNo: string | null;
  itemName: Named | null;
  caseType: 'immediate' | 'promised' | null;
  /** Every form field with its catalog label (null: unknown to the catalog), masked like `fields`. */
  form: { key: string; label: Named | null; value: string; valueLabel: Named | null }[];
  /** Material names from the catalog by code (codes the catalog does not know are left out). */
  materialNames: Record<string, Named>;
  /** Who was assigned by acting first (the case list's "mine"). */
  assignedTo: string | null;
};

type Named = { zh: string; en: string };

export function createCaseDetail(deps: { db: HallDatabase; supervision: Supervision; catalog: HallCatalog }) {
  const cases = createCaseStore(hallSqlOf(deps.db));
  const { catalog } = deps;
  const listed = createCaseListStore(hallSqlOf(deps.db));

  async function detail(staff: Staff, id: string): Promise<HttpAnswer> {
    const row = await cases.record(id);
    // Another jurisdiction's case does not exist for this staff member.
    if (!row || !staffCovers(staff, row.jurisdiction)) return notFound('no such case in your jurisdiction');
    const entry = readApplication(row.payload);
    const payload = jsonObject(row.payload);
    const applicant: Person | null = entry?.applicant ?? null;
    const helper: Person | null = entry?.helper ?? null;
    const names = [applicant?.name, helper?.name].filter((n): n is string => n !== undefined);
    const masked = (p: Person | null) =>
      p === null ? null : { name: maskName(p.name), idNumber: maskIdNumber(p.idNumber) };
    const supplements = (await cases.supplementsOf(row.id)).map((s) => ({
      id: s.id,
      receivedAt: s.receivedAt,
      attachments: (readSupplement(s.payload)?.attachments ?? []).map((a): Attachment => ({
        ...a,
        source: 'supplement',
      })),
    }));
    const attachments: Attachment[] = [
      ...(entry?.attachments ?? []).map((a): Attachment => ({ ...a, source: 'application' })),
      ...supplements.flatMap((s) => s.attachments),
    ];
    return {
      status: 200,
      body: {
        id: row.id,
        kioskId: row.kioskId,
        jurisdiction: row.jurisdiction,
        itemCode: row.itemCode,
        status: row.status,
        receivedAt: row.receivedAt,
        updatedAt: row.updatedAt,
        applicant: masked(applicant),
        helper: masked(helper),
        fields: displayFields(payload, names, [
          'id',
          'itemCode',
          'jurisdiction',
          'applicant',
          'helper',
          'attachments',
        ]).map((f) => (MOBILE.test(f.value.trim()) ? { ...f, value: maskPhone(f.value.trim()) } : f)),
        attachments,
        /** The material codes on file: what a 补正 request picks from. */
        materials: [...new Set(attachments.map((a) => a.materialCode))],
        supplements: supplements.map((s) => ({
          id: s.id,
          receivedAt: s.receivedAt,
          materials: [...new Set(s.attachments.map((a) => a.materialCode))],
        })),
        events: (await cases.eventsOf(row.id)).map((e): CaseEvent => ({
          at: e.at,
          staff: e.staff,
          action: e.action as StaffCaseAction,
          from: e.from as HallCaseStatus,
          to: e.to as HallCaseStatus,
          detail: JSON.parse(e.detail) as CaseActionDetail,
        })),
        allowedActions: allowedCaseActions(row.status),
        supervision: await deps.supervision.forCase(row.id),
        receiptNo: entry?.receiptNo ?? null,
        itemName: catalog.itemName(row.itemCode),
        caseType: entry?.caseType ?? null,
        form: Object.entries(entry?.form ?? {}).map(([key, value]) => {
          const field = catalog.field(row.itemCode, key);
          // Masked as the flat fields are (a name or ID number typed into a form field, a phone).
          const shown = displayFields({ v: value }, names, [])[0]?.value ?? '';
          return {
            key,
            label: field?.label ?? null,
            value: MOBILE.test(shown.trim()) ? maskPhone(shown.trim()) : shown,
            valueLabel: catalog.optionLabel(row.itemCode, key, value),
          };
        }),
        // Every material of the item (a 补正 may ask for one that was never scanned) and every
        // scanned code: the history and the 补正 tick-list name them, never show the code.
        materialNames: Object.fromEntries(
          [
            ...new Set([
              ...(catalog.item(row.itemCode)?.materials.map((m) => m.code) ?? []),
              ...attachments.map((a) => a.materialCode),
            ]),
          ].flatMap((code) => {
            const name = catalog.materialName(row.itemCode, code);
            return name ? [[code, name]] : [];
          }),
        ),
        assignedTo: await listed.assignedTo(row.id),
      } satisfies CaseDetail,
    };
  }

  /**
   * GET /v1/staff/cases/{id}/blobs/{sha256}: one scanned page of a case (of the application or a 补正
   * supplement) — opened from the sealed blob store by `read` and checked against its name — for
   * staff of the case's jurisdiction; anything else does not exist for them.
   */
  async function document(
    staff: Staff,
    id: string,
    sha256: string,
    read: (sha256: string) => Result<Buffer, BlobReadError> | Promise<Result<Buffer, BlobReadError>>,
    audit: Audit,
    address: string | null,
  ): Promise<HttpAnswer> {
    const row = await cases.record(id);
    if (!row || !staffCovers(staff, row.jurisdiction)) return notFound('no such case in your jurisdiction');
    const attachments = [
      ...(readApplication(row.payload)?.attachments ?? []),
      ...(await cases.supplementsOf(row.id)).flatMap((s) => readSupplement(s.payload)?.attachments ?? []),
    ];
    const attachment = attachments.find((a) => a.sha256 === sha256);
    if (!attachment) return notFound('no such document in this case');
    const bytes = await read(sha256);
    if (!bytes.ok)
      return bytes.error.kind === 'missing'
        ? notFound('the hall has not received this document yet')
        : hallError(500, 'unavailable', 'the stored document does not open or verify; see the hall log');
    // Every page a staff member opens is on the audit log (who looked at which page of which case).
    await audit.record({
      actor: staff.name,
      action: 'case.document',
      jurisdiction: row.jurisdiction,
      caseId: row.id,
      address,
      detail: { materialCode: attachment.materialCode, position: attachment.position, sha256 },
    });
    return {
      status: 200,
      body: bytes.value,
      headers: { 'content-type': attachment.mime, 'x-content-type-options': 'nosniff' },
    };
  }

  return { detail, document };
}
