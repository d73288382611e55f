/**
 * One case as the staff desk shows it: the application's fields with the applicant's name and ID
 * number masked and no photo (gov-service.md, "Privacy"), the scanned materials (from the
 * application and its 补正 supplements) by material code, the case history, the actions its status
 * allows, and its 电子监察 state.
 */
import type { ZodType } from 'zod';
import {
  allowedCaseActions,
  isHallCaseStatus,
  maskIdNumber,
  maskName,
  type HallCaseStatus,
  type StaffCaseAction,
} from '../shared/index.js';
import {
  applicationEntrySchema,
  supplementEntrySchema,
  type Attachment as EntryAttachment,
} from '../shared/wire/index.js';
import type { HttpAnswer } from './service.js';
import type { Staff } from './staff.js';
import type { HallDb } from './store/index.js';
import { displayFields } from './mask.js';
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

function jsonObject(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** A stored payload, read with the contract's schema (it was validated with it when pushed). */
function parseStored<T>(schema: ZodType<T>, text: string): T | null {
  const r = schema.safeParse(jsonObject(text));
  return r.success ? r.data : null;
}

export function createCaseDetail(deps: { db: HallDb; supervision: Supervision }) {
  const { db } = deps;
  const q = {
    app: db.prepare(
      `SELECT id, kiosk_id AS kioskId, jurisdiction, item_code AS itemCode, status, payload,
              received_at AS receivedAt, updated_at AS updatedAt FROM applications WHERE id = ?`,
    ),
    supplements: db.prepare(
      'SELECT id, payload, received_at AS receivedAt FROM supplements WHERE application_id = ? ORDER BY received_at',
    ),
    events: db.prepare(
      `SELECT at, staff, action, from_status AS "from", to_status AS "to", detail FROM case_events
       WHERE application_id = ? ORDER BY id`,
    ),
  };

  function detail(staff: Staff, id: string): HttpAnswer {
    const row = q.app.get(id) as
      | {
          id: string;
          kioskId: string;
          jurisdiction: string;
          itemCode: string;
          status: HallCaseStatus;
          payload: string;
          receivedAt: string;
          updatedAt: string;
        }
      | undefined;
    // Another jurisdiction's case does not exist for this staff member.
    if (!row || row.jurisdiction !== staff.jurisdiction)
      return { status: 404, body: { error: 'not-found', message: 'no such case in your jurisdiction' } };
    const entry = parseStored(applicationEntrySchema, row.payload);
    const payload = jsonObject(row.payload);
    const applicant: Person | null = entry?.applicant ?? null;
    const helper: Person | null = entry?.helper ?? null;
    const names = [applicant?.name, helper?.name].filter((n): n is string => n !== undefined);
    const masked = (p: Person | null) =>
      p === null ? null : { name: maskName(p.name), idNumber: maskIdNumber(p.idNumber) };
    const supplements = (
      q.supplements.all(row.id) as { id: string; payload: string; receivedAt: string }[]
    ).map((s) => ({
      id: s.id,
      receivedAt: s.receivedAt,
      attachments: (parseStored(supplementEntrySchema, s.payload)?.attachments ?? []).map(
        (a): Attachment => ({ ...a, source: 'supplement' }),
      ),
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
        events: (q.events.all(row.id) as (Omit<CaseEvent, 'detail'> & { detail: string })[]).map((e) => ({
          ...e,
          detail: JSON.parse(e.detail) as CaseActionDetail,
        })),
        allowedActions: isHallCaseStatus(row.status) ? allowedCaseActions(row.status) : [],
        supervision: deps.supervision.forCase(row.id),
      } satisfies CaseDetail,
    };
  }

  return { detail };
}
