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
  type HallCaseStatus,
  type StaffCaseAction,
} from '../shared/index.js';
import type { Attachment as EntryAttachment } from '../shared/wire/index.js';
import type { Result } from '../shared/result.js';
import { hallError, notFound, type HttpAnswer } from './answers.js';
import type { BlobReadError } from './blob-store.js';
import { displayFields } from './mask.js';
import type { Staff } from './staff.js';
import { createCaseStore, jsonObject, readApplication, readSupplement, type HallDb } from './store/index.js';
import type { CaseSupervision, Supervision } from './supervision.js';

type Person = { name: string; idNumber: string };

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
};

export function createCaseDetail(deps: { db: HallDb; supervision: Supervision }) {
  const cases = createCaseStore(deps.db);

  function detail(staff: Staff, id: string): HttpAnswer {
    const row = cases.record(id);
    // Another jurisdiction's case does not exist for this staff member.
    if (!row || row.jurisdiction !== staff.jurisdiction) return notFound('no such case in your jurisdiction');
    const entry = readApplication(row.payload);
    const payload = jsonObject(row.payload);
    const applicant: Person | null = entry?.applicant ?? null;
    const helper: Person | null = entry?.helper ?? null;
    const names = [applicant?.name, helper?.name].filter((n): n is string => n !== undefined);
    const masked = (p: Person | null) =>
      p === null ? null : { name: maskName(p.name), idNumber: maskIdNumber(p.idNumber) };
    const supplements = cases.supplementsOf(row.id).map((s) => ({
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
        ]),
        attachments,
        /** The material codes on file: what a 补正 request picks from. */
        materials: [...new Set(attachments.map((a) => a.materialCode))],
        supplements: supplements.map((s) => ({
          id: s.id,
          receivedAt: s.receivedAt,
          materials: [...new Set(s.attachments.map((a) => a.materialCode))],
        })),
        events: cases.eventsOf(row.id).map((e): CaseEvent => ({
          at: e.at,
          staff: e.staff,
          action: e.action as StaffCaseAction,
          from: e.from as HallCaseStatus,
          to: e.to as HallCaseStatus,
          detail: JSON.parse(e.detail) as CaseActionDetail,
        })),
        allowedActions: allowedCaseActions(row.status),
        supervision: deps.supervision.forCase(row.id),
      } satisfies CaseDetail,
    };
  }

  /**
   * GET /v1/staff/cases/{id}/blobs/{sha256}: one scanned page of a case (of the application or a 补正
   * supplement) — opened from the sealed blob store by `read` and checked against its name — for
   * staff of the case's jurisdiction; anything else does not exist for them.
   */
  function document(
    staff: Staff,
    id: string,
    sha256: string,
    read: (sha256: string) => Result<Buffer, BlobReadError>,
  ): HttpAnswer {
    const row = cases.record(id);
    if (!row || row.jurisdiction !== staff.jurisdiction) return notFound('no such case in your jurisdiction');
    const attachments = [
      ...(readApplication(row.payload)?.attachments ?? []),
      ...cases.supplementsOf(row.id).flatMap((s) => readSupplement(s.payload)?.attachments ?? []),
    ];
    const attachment = attachments.find((a) => a.sha256 === sha256);
    if (!attachment) return notFound('no such document in this case');
    const bytes = read(sha256);
    if (!bytes.ok)
      return bytes.error.kind === 'missing'
        ? notFound('the hall has not received this document yet')
        : hallError(500, 'unavailable', 'the stored document does not open or verify; see the hall log');
    return {
      status: 200,
      body: bytes.value,
      headers: { 'content-type': attachment.mime, 'x-content-type-options': 'nosniff' },
    };
  }

  return { detail, document };
}
