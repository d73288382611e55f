/**
 * Kiosk side of the wire format: the messages are the contract's (src/shared/wire/protocol.ts, one
 * definition for kiosk and hall), the signing is src/shared/wire/signing.ts; this module only names
 * them as the sync client uses them. Every hall answer is parsed with these schemas (the hall is a
 * trust boundary too).
 */
export {
  HEADERS,
  SCHEMA_VERSION,
  blobPutResponseSchema as blobPutResponse,
  changesResponseSchema as changesResponse,
  enrollResponseSchema as enrollResponse,
  errorBodySchema as errorResponse,
  gapResponseSchema as gapResponse,
  licenceLookupResponseSchema,
  missingBlobsResponseSchema as missingBlobsResponse,
  mustRefetchResponseSchema as mustRefetchResponse,
  pushResponseSchema as pushResponse,
  queueStatusResponseSchema,
  snapshotResponseSchema as snapshotResponse,
  takeTicketResponseSchema,
  waitResponseSchema as waitResponse,
  type Change,
  type DeviceHealth,
  type EnrollRequest,
  type Heartbeat,
  type LicenceLookupRequest,
  type PushEntry,
  type PushResult,
  type TakeTicketRequest,
  type TakeTicketResponse,
} from '../shared/wire/index.js';
export { sha256Hex, sign, signingString, signAnswer, verifyAnswer } from '../shared/wire/signing.js';
