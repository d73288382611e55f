/**
 * Test helpers for the staff-side hall tests: an enrolled kiosk that pushes entries straight into the
 * hall service (no HTTP, no signing — the sync API tests cover those), blobs, and staff API calls
 * over loopback.
 */
import { createHash } from 'node:crypto';
import { fixtureId } from '../../shared/testing/wire-samples.js';
import type { ApplicationEntry } from '../../shared/wire/index.js';
import type { HallServer } from '../server.js';
import { enrolWithService } from './enrol.js';

export { fixtureId };

export const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

export type FixtureKiosk = {
  id: string;
  /** Pushes one entry with the next seq; returns the hall's answer. */
  push(kind: string, payload: unknown): Promise<{ status: number; body: unknown }>;
};

export async function enrolKiosk(hall: HallServer, jurisdiction: string): Promise<FixtureKiosk> {
  const { kioskId } = await enrolWithService(hall.service, jurisdiction);
  let seq = 0;
  return {
    id: kioskId,
    push(kind, payload) {
      seq += 1;
      const text = JSON.stringify(payload);
      return hall.service.push(kioskId, { entries: [{ seq, kind, payload: text, payloadHash: sha(text) }] });
    },
  };
}

/** Stores a complete blob on the hall and returns its sha256. */
export async function storeBlob(hall: HallServer, bytes: Buffer): Promise<string> {
  const h = sha(bytes);
  const r = await hall.service.putBlob(h, 0, bytes.length, bytes);
  if (r.status !== 201 && r.status !== 200) throw new Error(`blob not stored: ${JSON.stringify(r.body)}`);
  return h;
}

/**
 * An application entry as the kiosk sends it (the contract's type, src/shared/wire/entries.ts). The
 * id is a fixture name made into a stable UUID (`fixtureId`).
 */
export function applicationPayload(
  name: string,
  opts: {
    jurisdiction?: string;
    itemCode?: string;
    submittedAt?: string;
    promisedDate?: string | null;
    promisedDays?: number;
    caseType?: 'immediate' | 'promised';
    attachments?: { materialCode: string; sha256: string; size: number }[];
  } = {},
): ApplicationEntry {
  const id = fixtureId(name);
  const caseType = opts.caseType ?? 'promised';
  return {
    id,
    receiptNo: `FD01-20260302-${String(parseInt(id.slice(0, 6), 16) % 1_000_000).padStart(6, '0')}`,
    itemCode: opts.itemCode ?? 'X1',
    caseType,
    jurisdiction: opts.jurisdiction ?? '610102',
    submittedAt: opts.submittedAt ?? '2026-03-02T08:00:00.000Z',
    promisedDays: opts.promisedDays ?? (caseType === 'immediate' ? 0 : 5),
    promisedDate: opts.promisedDate === undefined ? '2026-03-09' : opts.promisedDate,
    bundle: null,
    applicant: { name: '张小三', idNumber: '610102199001011234', cardType: 'resident' },
    helper: null,
    form: {
      fullName: '张小三',
      idNumber: '610102199001011234',
      phone: '13800138000',
      purpose: '办理营业执照',
    },
    delivery: {
      method: 'ems',
      recipient: '张小三',
      phone: '13800138000',
      address: '西安市沣东新城 1 号',
      postcode: '710000',
    },
    licences: [],
    integrityAcknowledgedAt: opts.submittedAt ?? '2026-03-02T08:00:00.000Z',
    attachments: (opts.attachments ?? []).map((a, i) => ({ ...a, position: i, mime: 'image/jpeg' as const })),
  };
}

export async function staffCall(
  hall: HallServer,
  token: string | null,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(new URL(path.replace(/^\//, ''), hall.url), {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: (text ? JSON.parse(text) : {}) as Record<string, unknown>,
  };
}
