/**
 * ID-card reader (二代身份证, GA 467). The public face of src/devices/idcard: the device manager,
 * the CLI and the backend's dev panel import from here only. See docs/devices-idcard.md.
 */
export type {
  CardErrorReason,
  Clock,
  IdCardEvent,
  IdCardFault,
  IdCardReader,
  IdCardStatus,
} from './types.js';
export { systemClock } from './types.js';
export {
  createIdCardReader,
  createUnsupportedReader,
  readIdCardOnce,
  readOneCard,
  type CardRead,
  type CreateIdCardReaderOptions,
  type IdCardConfigError,
  type IdCardReaderHandle,
  type ReadOnceError,
} from './factory.js';
export {
  identityRecordSchema,
  residentRecordSchema,
  hmtRecordSchema,
  foreign2017RecordSchema,
  foreign2023RecordSchema,
  parseIdentity,
  LONG_TERM,
  PROBLEM_CODES,
  type CardProblem,
  type Foreign2017Record,
  type Foreign2023Record,
  type HmtRecord,
  type IdentityRecord,
  type InvalidCard,
  type ProblemCode,
  type ResidentRecord,
} from './identity.js';
export type { CardType } from './text-block.js';
export { NATIONS, nationName, SEXES, type Sex } from './codes.js';
export { checkIdNumber, gb11643CheckChar } from './gb11643.js';
export {
  noPhotoDecoder,
  WltPhoto,
  type DecodedPhoto,
  type PhotoDecodeError,
  type PhotoDecoder,
} from './photo.js';
export {
  createGa467Reader,
  DEFAULT_TIMING,
  type Ga467Reader,
  type Ga467ReaderOptions,
  type Ga467Timing,
} from './driver.js';
export { openSerialTransport } from './serial-transport.js';
export { HID_UNSUPPORTED_MESSAGE, type HidReportFraming } from './hid-transport.js';
export type { ByteTransport, OpenTransport } from './transport.js';
export { FakeIdCardReader } from './fake.js';
export {
  startIdCardSimulator,
  type IdCardSimulator,
  type IdCardSimulatorOptions,
  type RunningIdCardSimulator,
} from './sim-runtime.js';
export {
  SIM_FAULT_KINDS,
  parseSimFault,
  type FaultOptions,
  type SimCommand,
  type SimFaultKind,
  type SimulatorSnapshot,
} from './simulator.js';
export { SAMPLE_CARDS, simCardSchema, type SampleCardName, type SimCard } from './sim-card.js';
// Low-level protocol access, for diagnostics and the benchmark: one link, one command at a time.
export { Ga467Link, type LinkError, type LinkStats } from './link.js';
export {
  DEFAULT_TIMEOUTS,
  findSelectRead,
  sendCommand,
  type CardReadOutcome,
  type Ga467Timeouts,
} from './commands.js';
export { wireTimeMs } from './protocol.js';
