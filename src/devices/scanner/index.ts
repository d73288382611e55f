/**
 * Document capture — public face of src/devices/scanner (docs/devices-scanner.md).
 * Devices: createScanner({ uri, mode, logger }) for sane:/escl:/sim:; scanOnce for the CLI.
 * Pages: createPagePipeline (normalise → blank check → content-addressed store) and
 * assembleArchivePdf for the application archive.
 */
export {
  SCAN_FAULT_KINDS,
  SCAN_LIMITS,
  checkScanRequest,
  faultMessage,
  type ColorMode,
  type DocumentScanner,
  type FeederState,
  type RawImageMime,
  type ScanFault,
  type ScanFaultKind,
  type ScannedPage,
  type ScannerSimulatorControl,
  type ScannerStatus,
  type ScanRequest,
  type ScanResult,
  type ScanSource,
  type SimAdfState,
} from './types.js';
export { createScanner, type CreateScannerOptions, type ScannerHandle } from './factory.js';
export { scanOnce, type ScanOnceError, type ScanOnceOptions, type ScanOnceReport } from './scan-once.js';
export { scannerDeviceState } from './device-state.js';
export { createSaneScanner, type SaneDriverOptions, type SaneScanner } from './sane-driver.js';
export { createEsclScanner, type EsclClientOptions, type EsclScanner } from './escl-client.js';
export type { EsclCapabilities, EsclSourceCaps } from './escl-xml.js';
export {
  startEsclSimulator,
  type EsclSimulator,
  type EsclSimulatorOptions,
  type SimJob,
} from './escl-simulator.js';
export { createFakeScanner, type FakeScanner } from './fake-scanner.js';
export { renderSamplePage, type SamplePageSpec } from './sample-page.js';
export { sniffImage } from './image-format.js';
export type { PageError, PageErrorKind } from './page-errors.js';
export {
  DEFAULT_NORMALISE_OPTIONS,
  decodePage,
  encodeJpeg,
  normalisePage,
  type DecodedPage,
  type NormalisedPage,
  type NormaliseOptions,
} from './normalise.js';
export { DEFAULT_BLANK_OPTIONS, checkBlank, type BlankCheck, type BlankOptions } from './blank-page.js';
export {
  createBlobStore,
  sha256Hex,
  type BlobStore,
  type BlobStoreError,
  type StoredBlob,
} from './blob-store.js';
export {
  DEFAULT_PAGE_LIMITS,
  createPagePipeline,
  resolvePipelineOptions,
  type BatchOutcome,
  type PageLimits,
  type PagePipeline,
  type PipelineSettings,
  type ProcessedPage,
  type StoredPage,
} from './page-pipeline.js';
export {
  NOTO_CJK_FACE,
  NOTO_CJK_PATH,
  assembleArchivePdf,
  type ArchiveError,
  type ArchiveOptions,
  type ArchivePage,
} from './archive-pdf.js';
