/**
 * Valid outbox entries and case-status documents for tests on both sides of the wire (hall tests,
 * sync tests, the contract test), built with the contract's types so a fixture can never drift from
 * what the kiosk writes. Overrides replace top-level properties.
 */
import { createHash, randomUUID } from 'node:crypto';
import type {
  ApplicationEntry,
  Attachment,
  CaseStatusData,
  EvaluationEntry,
  SupplementEntry,
  TicketEntry,
} from '../wire/index.js';

const AT = '2026-03-02T08:00:00.000Z';

export const sampleSha = (seed: string): string => createHash('sha256').update(seed).digest('hex');

/** A stable UUID for a fixture name such as 'app-1' (a UUID stays itself). */
export function fixtureId(name: string): string {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(name)) return name;
  const h = sampleSha(name);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function sampleAttachment(overrides: Partial<Attachment> = {}): Attachment {
  return {
    materialCode: 'sfz',
    sha256: sampleSha('page-1'),
    size: 1024,
    position: 0,
    mime: 'image/jpeg',
    ...overrides,
  };
}

export function sampleApplication(overrides: Partial<ApplicationEntry> = {}): ApplicationEntry {
  return {
    id: randomUUID(),
    receiptNo: 'ZZ01-20260302-0001',
    itemCode: 'X1',
    caseType: 'promised',
    jurisdiction: '610102',
    submittedAt: AT,
    promisedDays: 5,
    promisedDate: '2026-03-09',
    bundle: null,
    applicant: { name: '张三', idNumber: '11010519491231002X', cardType: 'resident' },
    helper: null,
    form: { phone: '13800138000' },
    delivery: { method: 'pickup' },
    licences: [],
    integrityAcknowledgedAt: AT,
    attachments: [],
    ...overrides,
  };
}

export function sampleSupplement(
  applicationId: string,
  overrides: Partial<SupplementEntry> = {},
): SupplementEntry {
  return {
    id: randomUUID(),
    applicationId,
    receiptNo: 'ZZ01-20260302-0001',
    submittedAt: AT,
    attachments: [sampleAttachment({ materialCode: 'jczm', sha256: sampleSha('supplement-1') })],
    ...overrides,
  };
}

export function sampleEvaluation(
  targetId: string,
  overrides: Partial<EvaluationEntry> = {},
): EvaluationEntry {
  return {
    id: randomUUID(),
    targetKind: 'application',
    targetId,
    level: 'very-satisfied',
    contentItems: [],
    reason: null,
    comment: null,
    channel: 'self-service-terminal',
    itemsVersion: '2026.1',
    createdAt: AT,
    ...overrides,
  };
}

export function sampleTicket(overrides: Partial<TicketEntry> = {}): TicketEntry {
  return {
    id: randomUUID(),
    idempotencyKey: `key-${randomUUID()}`,
    window: 'zzlb',
    number: 'A901',
    serviceDate: '2026-03-02',
    issuedAt: AT,
    source: 'offline',
    ...overrides,
  };
}

/** One valid case-status document per hall status. */
export const sampleCaseStatus = {
  received: { status: 'received', at: AT },
  accepted: { status: 'accepted', at: AT, note: '材料齐全' },
  refused: { status: 'refused', at: AT, reason: '不属于本部门职责' },
  'correction-requested': { status: 'correction-requested', at: AT, materials: ['jczm'], note: '请补交' },
  'supplement-received': { status: 'supplement-received', at: AT },
  completed: { status: 'completed', at: AT, result: '准予许可', trackingNumber: 'EA123456789CN' },
} as const satisfies { [S in CaseStatusData['status']]: CaseStatusData & { status: S } };
