/**
 * The document-capture device (docs/architecture.md, "Devices"): one interface whose results and statuses are
 * tagged unions. Drivers: SANE (`scanimage`), eSCL (AirScan/Mopria over HTTP); the document camera
 * (高拍仪) lives in the renderer and feeds the same page pipeline (docs/devices-scanner.md).
 */

export type ScanSource = 'flatbed' | 'feeder';
export type ColorMode = 'color' | 'grayscale' | 'black-and-white';

export type ScanRequest = {
  source: ScanSource;
  colorMode: ColorMode;
  /** Dots per inch; the driver picks the nearest resolution the device supports. */
  resolution: number;
  /** Upper bound on pages taken from the feeder in this scan (a flatbed scan is always one page). */
  maxPages: number;
  /** Aborting stops the scan (SANE: the child is killed; eSCL: the job is deleted). */
  signal?: AbortSignal;
};

/** Image formats the drivers hand over; the page pipeline turns any of them into JPEG. */
export type RawImageMime = 'image/jpeg' | 'image/png' | 'image/tiff' | 'image/x-portable-anymap';

/** One page as the device delivered it, before normalisation. Personal data: never logged. */
export type ScannedPage = { data: Buffer; mime: RawImageMime };

/**
 * Why a scan stopped early. Every one is an expected event at a kiosk, shown to the resident or the
 * technician (docs/devices-scanner.md, "Faults"); `message` is for technicians and logs.
 */
export const SCAN_FAULT_KINDS = [
  'feeder-empty',
  'jam',
  'door-open',
  'busy',
  'device-gone',
  'timeout',
  'cancelled',
  'unsupported',
  'protocol',
  'device-error',
] as const;
export type ScanFaultKind = (typeof SCAN_FAULT_KINDS)[number];
export type ScanFault = { kind: ScanFaultKind; message: string };

/** Pages captured before a fault are kept and returned alongside it. */
export type ScanResult =
  { ok: true; pages: ScannedPage[] } | { ok: false; error: ScanFault; pagesBeforeFault: ScannedPage[] };

/** `none`: the device has no feeder; `unknown`: the device cannot tell (SANE). */
export type FeederState = 'loaded' | 'empty' | 'none' | 'unknown';

export type ScannerStatus =
  | { state: 'ready'; feeder: FeederState }
  | { state: 'busy' }
  | { state: 'jam' }
  | { state: 'door-open' }
  | { state: 'offline'; message: string }
  | { state: 'error'; message: string };

export interface DocumentScanner {
  /** Which driver speaks to the device, for diagnostics. */
  readonly driver: 'sane' | 'escl' | 'fake';
  scan(request: ScanRequest): Promise<ScanResult>;
  status(): Promise<ScannerStatus>;
  /** Stops a running scan and releases the device; the scanner is unusable afterwards. */
  close(): Promise<void>;
}

/** Feeder states a simulator or fake can be put into (docs/devices-scanner.md, "eSCL in brief", AdfState). */
export type SimAdfState = 'loaded' | 'empty' | 'jam' | 'door-open';

/**
 * Controls of the built-in simulator and the in-memory fake (docs/architecture.md, "Simulator control"):
 * refused in production because `sim:` itself is refused there.
 */
export interface ScannerSimulatorControl {
  /** Puts pages into the feeder: given images (JPEG/PNG served as they are) or `count` generated pages. */
  feedPages(pages: readonly Buffer[] | number): void;
  /** `empty` also removes the pages; `loaded` with an empty feeder feeds three generated pages. */
  setAdfState(state: SimAdfState): void;
  /** Unavailable: the device drops every connection, as if unplugged or switched off. */
  setUnavailable(unavailable: boolean): void;
  /** What lies on the glass: an image, `'generated'` (a sample page) or `'nothing'` (a white page). */
  setPlatenPage(page: Buffer | 'generated' | 'nothing'): void;
  /** After `pages` more feeder pages the feeder jams, its door opens or the device goes away. */
  failAfter(pages: number, fault: 'jam' | 'door-open' | 'unavailable'): void;
  /** Pages left in the feeder. */
  feederCount(): number;
}

export function faultMessage(kind: ScanFaultKind): string {
  switch (kind) {
    case 'feeder-empty':
      return 'the document feeder is empty: load the pages and scan again';
    case 'jam':
      return 'paper jam in the document feeder: open it, remove the paper and scan again';
    case 'door-open':
      return 'the feeder door or scanner cover is open: close it and scan again';
    case 'busy':
      return 'the scanner is busy with another job';
    case 'device-gone':
      return 'the scanner is not reachable (unplugged, switched off or not installed)';
    case 'timeout':
      return 'the scanner did not deliver a page in time';
    case 'cancelled':
      return 'the scan was cancelled';
    case 'unsupported':
      return 'the scanner does not support the requested settings';
    case 'protocol':
      return 'the scanner sent a reply the kiosk does not understand';
    case 'device-error':
      return 'the scanner reported an error';
    default: {
      const never: never = kind;
      throw new Error(`unknown scan fault ${String(never)}`);
    }
  }
}

export function fault(kind: ScanFaultKind, detail?: string): ScanFault {
  const message = detail ? `${faultMessage(kind)} (${detail})` : faultMessage(kind);
  return { kind, message };
}

/** Bounds a request must respect before any driver is asked (a bug upstream otherwise). */
export const SCAN_LIMITS = { minResolution: 50, maxResolution: 1200, maxPages: 500 } as const;

export function checkScanRequest(request: ScanRequest): ScanFault | null {
  const { resolution, maxPages } = request;
  if (
    !Number.isInteger(resolution) ||
    resolution < SCAN_LIMITS.minResolution ||
    resolution > SCAN_LIMITS.maxResolution
  ) {
    return fault(
      'unsupported',
      `resolution ${resolution} dpi is outside ${SCAN_LIMITS.minResolution}..${SCAN_LIMITS.maxResolution}`,
    );
  }
  if (!Number.isInteger(maxPages) || maxPages < 1 || maxPages > SCAN_LIMITS.maxPages) {
    return fault('unsupported', `maxPages ${maxPages} is outside 1..${SCAN_LIMITS.maxPages}`);
  }
  return null;
}

/**
 * What every driver does around a scan: refuse a bad request, a closed scanner and a second scan
 * while one runs, then run it with the busy flag held (which status() reports as busy).
 */
export function serialisedScan(
  closing: AbortSignal,
  run: (request: ScanRequest) => Promise<ScanResult>,
): { scan: (request: ScanRequest) => Promise<ScanResult>; isScanning: () => boolean } {
  let scanning = false;
  const scan = async (request: ScanRequest): Promise<ScanResult> => {
    const bad = checkScanRequest(request);
    if (bad) return { ok: false, error: bad, pagesBeforeFault: [] };
    if (closing.aborted)
      return { ok: false, error: fault('cancelled', 'the scanner was closed'), pagesBeforeFault: [] };
    if (scanning)
      return { ok: false, error: fault('busy', 'a scan is already running'), pagesBeforeFault: [] };
    scanning = true;
    try {
      return await run(request);
    } finally {
      scanning = false;
    }
  };
  return { scan, isScanning: () => scanning };
}
