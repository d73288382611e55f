/**
 * zod schemas of the resident's journey (Node only: the renderer imports resident.ts, which has no
 * zod at run time and takes its `Delivery` type from here).
 */
import { z } from 'zod';

const trimmed = (max: number) => z.string().trim().max(max);

export const deliverySchema = z.discriminatedUnion('method', [
  z.object({
    method: z.literal('ems'),
    recipient: trimmed(40),
    phone: trimmed(13),
    address: trimmed(120),
    postcode: trimmed(6),
  }),
  z.object({ method: z.literal('pickup') }),
]);
