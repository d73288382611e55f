/**
 * zod schemas of the resident's journey (Node only: the renderer imports resident.ts, which has no
 * zod at run time and takes its `Delivery` type from here).
 */
import { z } from 'zod';

const trimmed = (max: number) => z.string().trim().max(max);

const emsSchema = z.object({
  method: z.literal('ems'),
  recipient: trimmed(40),
  phone: trimmed(13),
  address: trimmed(120),
  postcode: trimmed(6),
});
const pickupSchema = z.object({ method: z.literal('pickup') });

/** The delivery as stored, synced to the hall and printed: the recipient's full name. */
export const deliverySchema = z.discriminatedUnion('method', [emsSchema, pickupSchema]);

/**
 * The delivery as the screen sends it (`application.submit`): with `recipientIsApplicant` the
 * recipient is 申请人本人 and `recipient` is ignored — the backend fills in the full name it holds
 * from the session's card, which the screen never has (it shows the masked name only).
 */
export const deliveryInputSchema = z.discriminatedUnion('method', [
  emsSchema.extend({ recipientIsApplicant: z.boolean().optional() }),
  pickupSchema,
]);
