/**
 * Tests' kiosk side of sealed enrolment (docs/sync-protocol.md, 2) for hall tests that do not run the
 * kiosk's sync client: the request a kiosk would send for a code, and the secret opened from the
 * answer — with the same src/shared/wire/enrolment.ts the kiosk uses.
 */
import { enrolKeyPair, enrolProof, openEnrolSecret, type EnrolKeyPair } from '../../shared/wire/enrolment.js';
import { enrollResponseSchema, type EnrollRequest } from '../../shared/wire/index.js';
import type { HallService } from '../service.js';

export type EnrolledKiosk = { kioskId: string; secret: string; jurisdiction: string };

export function enrolRequest(code: string, firstSeq = 1): { request: EnrollRequest; keyPair: EnrolKeyPair } {
  const keyPair = enrolKeyPair();
  return {
    keyPair,
    request: {
      kioskPublicKey: keyPair.publicKey,
      proof: enrolProof(code, keyPair.publicKey, firstSeq),
      firstSeq,
    },
  };
}

/** The identity from a 200 answer; throws (a test failure) when it cannot be opened. */
export function openEnrolAnswer(code: string, keyPair: EnrolKeyPair, body: unknown): EnrolledKiosk {
  const a = enrollResponseSchema.parse(body);
  const secret = openEnrolSecret({ code, keyPair, ...a });
  if (secret === null) throw new Error('the enrolment answer was not sealed for this kiosk');
  return { kioskId: a.kioskId, jurisdiction: a.jurisdiction, secret };
}

/** A new kiosk of `jurisdiction` through the hall service (no HTTP). */
export async function enrolWithService(
  service: Pick<HallService, 'enroll' | 'createEnrollmentCode'>,
  jurisdiction: string,
  firstSeq = 1,
): Promise<EnrolledKiosk> {
  const { code } = await service.createEnrollmentCode(jurisdiction);
  const { request, keyPair } = enrolRequest(code, firstSeq);
  const answer = await service.enroll(request);
  if (answer.status !== 200) throw new Error(`enrolment refused: ${JSON.stringify(answer.body)}`);
  return openEnrolAnswer(code, keyPair, answer.body);
}
