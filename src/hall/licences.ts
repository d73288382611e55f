/**
 * Shared electronic licences (电子证照): which of the materials a kiosk asks about the hall can
 * vouch for (the resident need not scan them), and how an operator records one.
 */
import {
  describeIssues,
  licenceLookupRequestSchema,
  type LicenceLookupResponse,
} from '../shared/wire/index.js';
import { badRequest, type HttpAnswer } from './answers.js';
import type { LicenceStore } from './store/index.js';

export function createLicences(deps: { licences: LicenceStore; clock: () => Date }) {
  const { licences, clock } = deps;

  /** POST /v1/licences/lookup: which of the asked materials the hall holds for this person. */
  const lookupLicences = async (raw: unknown): Promise<HttpAnswer> => {
    const b = licenceLookupRequestSchema.safeParse(raw);
    if (!b.success) return badRequest(describeIssues(b.error));
    const held: string[] = [];
    for (const m of b.data.materials) if (await licences.holds(b.data.idNumber, m)) held.push(m);
    return { status: 200, body: { held } satisfies LicenceLookupResponse };
  };

  const addLicence = async (idNumber: string, materialCode: string, licenceNo: string): Promise<void> => {
    await licences.put({
      idNumber: idNumber.toUpperCase(),
      materialCode,
      licenceNo,
      at: clock().toISOString(),
    });
  };

  return { lookupLicences, addLicence };
}
