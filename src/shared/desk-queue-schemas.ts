/**
 * The 叫号 panel's request bodies (docs/sync-protocol.md, 8 "叫号 panel"), checked by the hall; the
 * types the page sends are inferred from them. Node and page alike may import it.
 */
import { z } from 'zod';
import { windowCodeSchema } from './catalog-schemas.js';

const serviceDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'serviceDate is YYYY-MM-DD');

/** POST /v1/staff/queue/{window}/next — the day defaults to today in the hall's time zone. */
export const deskCallNextSchema = z.object({ serviceDate: serviceDate.optional() }).strict();

/** POST /v1/staff/queue/tickets/{id}/transfer */
export const deskTransferSchema = z.object({ window: windowCodeSchema }).strict();
export type DeskTransfer = z.infer<typeof deskTransferSchema>;

/** GET /v1/staff/queue?serviceDate=&window= */
export const deskQueueQuerySchema = z
  .object({ serviceDate: serviceDate.optional(), window: windowCodeSchema.optional() })
  .strict();
