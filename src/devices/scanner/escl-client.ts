/**
 * eSCL (AirScan/Mopria) client over HTTP (docs/devices-scanner.md, "eSCL in brief", steps 1–5):
 * capabilities → [status check for feeder jobs] → POST ScanJobs (201 + Location) → NextDocument per
 * page (503 = not ready: bounded retries; 404 after the last feeder page) → ScannerStatus to explain a
 * job that ended early (AdfState jam / door open / empty). Every failure is a ScanFault value; pages
 * received before a fault are returned with it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import {
  parseCapabilities,
  parseStatus,
  scanSettingsXml,
  type EsclCapabilities,
  type EsclColorMode,
  type EsclSourceCaps,
  type EsclStatus,
} from './escl-xml.js';
import { sniffImage } from './image-format.js';
import { err, ok, type Result } from '../result.js';
import {
  fault,
  serialisedScan,
  type DocumentScanner,
  type ScanFault,
  type ScannedPage,
  type ScannerStatus,
  type ScanRequest,
  type ScanResult,
} from './types.js';

export type EsclClientOptions = {
  /** Root of the eSCL service, e.g. http://192.168.1.60/eSCL (DNS-SD TXT `rs`). */
  url: string;
  logger: Logger;
  /** Timeout of capabilities, status, job creation and deletion requests. */
  requestTimeoutMs?: number;
  /** Timeout of one NextDocument request (the device may stream the page while it scans). */
  pageTimeoutMs?: number;
  /** Wait between NextDocument retries after 503 (docs/devices-scanner.md, "eSCL in brief": ≈1 s). */
  notReadyRetryMs?: number;
  /** NextDocument 503 replies tolerated per page (docs/devices-scanner.md, "eSCL in brief": up to ~30). */
  maxNotReadyRetries?: number;
  /** A page bigger than this is refused as a protocol fault. */
  maxPageBytes?: number;
};

export interface EsclScanner extends DocumentScanner {
  readonly driver: 'escl';
  capabilities(): Promise<Result<EsclCapabilities, ScanFault>>;
}

type Reply = { status: number; location: string | null; contentType: string | null; body: Buffer };

/** A4 in 1/300 inch: the region a kiosk scans (its materials are A4 or smaller). */
const A4_300THS = { width: 2480, height: 3508 };

function causeCode(e: unknown): string | null {
  const cause = e instanceof Error && 'cause' in e ? e.cause : null;
  return typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string'
    ? cause.code
    : null;
}

/** eSCL AdfState values that stop a feeder job (ScannerAdfDoorOpen and ScannerAdfHatchOpen both occur in the field). */
export function adfFault(adfState: string | null): ScanFault | null {
  switch (adfState) {
    case 'ScannerAdfJam':
    case 'ScannerAdfMispick':
    case 'ScannerAdfMultipickDetected':
      return fault('jam', adfState);
    case 'ScannerAdfDoorOpen':
    case 'ScannerAdfHatchOpen':
      return fault('door-open', adfState);
    case 'ScannerAdfEmpty':
      return fault('feeder-empty', adfState);
    case 'ScannerAdfInputTrayFailed':
    case 'ScannerAdfInputTrayOverloaded':
    case 'ScannerAdfDuplexPageTooShort':
    case 'ScannerAdfDuplexPageTooLong':
      return fault('device-error', adfState);
    case null:
      return null;
    default:
      // Loaded, Processing and values outside the eSCL set do not stop a job.
      return null;
  }
}

export function statusFromEscl(s: EsclStatus, hasFeeder: boolean): ScannerStatus {
  const f = adfFault(s.adfState);
  if (f?.kind === 'jam') return { state: 'jam' };
  if (f?.kind === 'door-open') return { state: 'door-open' };
  if (f?.kind === 'device-error') return { state: 'error', message: f.message };
  switch (s.state) {
    case 'Processing':
    case 'Testing':
      return { state: 'busy' };
    case 'Idle':
      break;
    default:
      // Stopped, Down or a value outside the PWG set.
      return { state: 'error', message: `scanner state ${s.state}` };
  }
  const feeder =
    s.adfState === 'ScannerAdfLoaded' || s.adfState === 'ScannerAdfProcessing'
      ? 'loaded'
      : s.adfState === 'ScannerAdfEmpty'
        ? 'empty'
        : hasFeeder
          ? 'unknown'
          : 'none';
  return { state: 'ready', feeder };
}

function pickColorMode(wanted: ScanRequest['colorMode'], caps: EsclSourceCaps): EsclColorMode | null {
  const prefs: EsclColorMode[] =
    wanted === 'color'
      ? ['RGB24']
      : wanted === 'grayscale'
        ? ['Grayscale8', 'RGB24']
        : ['BlackAndWhite1', 'Grayscale8', 'RGB24'];
  return prefs.find((m) => caps.colorModes.includes(m)) ?? null;
}

function pickResolution(wanted: number, caps: EsclSourceCaps): number {
  let best = caps.resolutions[0] ?? wanted;
  for (const r of caps.resolutions) if (Math.abs(r - wanted) < Math.abs(best - wanted)) best = r;
  return best;
}

export function createEsclScanner(options: EsclClientOptions): EsclScanner {
  const base = options.url.replace(/\/+$/, '');
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  const pageTimeoutMs = options.pageTimeoutMs ?? 120_000;
  const retryMs = options.notReadyRetryMs ?? 1000;
  const maxRetries = options.maxNotReadyRetries ?? 30;
  const maxPageBytes = options.maxPageBytes ?? 128 * 1024 * 1024;
  const log = options.logger.child({ component: 'escl', url: base });
  const closing = new AbortController();
  let caps: EsclCapabilities | null = null;

  async function readBody(res: Response, limit: number): Promise<Buffer | null> {
    const declared = Number(res.headers.get('content-length') ?? '0');
    if (declared > limit) {
      await res.body?.cancel();
      return null;
    }
    if (!res.body) return Buffer.alloc(0);
    const reader = res.body.getReader();
    const chunks: Buffer[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel();
        return null;
      }
      chunks.push(Buffer.from(value));
    }
    return Buffer.concat(chunks);
  }

  async function http(
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    opts: { body?: string; timeoutMs: number; signal?: AbortSignal | undefined; limit?: number },
  ): Promise<Result<Reply, ScanFault>> {
    const timeout = AbortSignal.timeout(opts.timeoutMs);
    const signals = [timeout, closing.signal, ...(opts.signal ? [opts.signal] : [])];
    try {
      const res = await fetch(url, {
        method,
        signal: AbortSignal.any(signals),
        ...(opts.body !== undefined
          ? { body: opts.body, headers: { 'content-type': 'text/xml; charset=utf-8' } }
          : {}),
      });
      const body = await readBody(res, opts.limit ?? 1024 * 1024);
      if (body === null) return err(fault('protocol', `${method} ${url}: reply larger than allowed`));
      return ok({
        status: res.status,
        location: res.headers.get('location'),
        contentType: res.headers.get('content-type'),
        body,
      });
    } catch (e) {
      if (opts.signal?.aborted || closing.signal.aborted) return err(fault('cancelled'));
      if (timeout.aborted)
        return err(fault('timeout', `${method} ${url} took longer than ${opts.timeoutMs} ms`));
      const code = causeCode(e);
      return err(
        fault('device-gone', `${method} ${url}: ${code ?? (e instanceof Error ? e.message : String(e))}`),
      );
    }
  }

  async function getStatus(signal?: AbortSignal): Promise<Result<EsclStatus, ScanFault>> {
    const r = await http('GET', `${base}/ScannerStatus`, { timeoutMs: requestTimeoutMs, signal });
    if (!r.ok) return r;
    if (r.value.status !== 200)
      return err(fault('device-error', `ScannerStatus answered HTTP ${r.value.status}`));
    const s = parseStatus(r.value.body.toString('utf8'));
    return s.ok ? s : err(fault('protocol', s.error));
  }

  async function capabilities(): Promise<Result<EsclCapabilities, ScanFault>> {
    if (caps) return ok(caps);
    const r = await http('GET', `${base}/ScannerCapabilities`, { timeoutMs: requestTimeoutMs });
    if (!r.ok) return r;
    if (r.value.status !== 200)
      return err(fault('device-error', `ScannerCapabilities answered HTTP ${r.value.status}`));
    const c = parseCapabilities(r.value.body.toString('utf8'));
    if (!c.ok) return err(fault('protocol', c.error));
    caps = c.value;
    log.info(
      { makeAndModel: caps.makeAndModel, platen: caps.platen !== null, feeder: caps.feeder !== null },
      'eSCL capabilities read',
    );
    return ok(caps);
  }

  /** After a job ended without (more) pages, the status tells a jam or an open door from the normal end. */
  async function explainEnd(signal: AbortSignal | undefined): Promise<ScanFault | null> {
    const s = await getStatus(signal);
    if (!s.ok) return s.error.kind === 'device-gone' || s.error.kind === 'cancelled' ? s.error : null;
    const f = adfFault(s.value.adfState);
    return f && f.kind !== 'feeder-empty' ? f : null;
  }

  async function deleteJob(jobUrl: string): Promise<void> {
    const r = await http('DELETE', jobUrl, { timeoutMs: requestTimeoutMs });
    if (!r.ok) log.warn({ fault: r.error.kind }, 'eSCL job could not be deleted');
  }

  type Next = { kind: 'page'; page: ScannedPage } | { kind: 'end' } | { kind: 'fault'; fault: ScanFault };

  async function nextDocument(jobUrl: string, signal: AbortSignal | undefined): Promise<Next> {
    for (let attempt = 0; attempt <= maxRetries; attempt++) {
      const r = await http('GET', `${jobUrl}/NextDocument`, {
        timeoutMs: pageTimeoutMs,
        signal,
        limit: maxPageBytes,
      });
      if (!r.ok) return { kind: 'fault', fault: r.error };
      const { status, body } = r.value;
      if (status === 200) {
        const mime = sniffImage(body);
        // PDF and other formats are refused: the page pipeline needs an image (the job asked for one).
        if (mime === null)
          return {
            kind: 'fault',
            fault: fault('protocol', `page is not an image (${r.value.contentType ?? 'no content type'})`),
          };
        return { kind: 'page', page: { data: body, mime } };
      }
      if (status === 404) return { kind: 'end' };
      if (status !== 503)
        return { kind: 'fault', fault: fault('device-error', `NextDocument answered HTTP ${status}`) };
      if (attempt === maxRetries) break;
      try {
        await sleep(retryMs, undefined, {
          signal: AbortSignal.any([closing.signal, ...(signal ? [signal] : [])]),
        });
      } catch {
        return { kind: 'fault', fault: fault('cancelled') };
      }
    }
    return { kind: 'fault', fault: fault('timeout', `no page after ${maxRetries} "not ready" replies`) };
  }

  async function runScan(req: ScanRequest): Promise<ScanResult> {
    const failed = (error: ScanFault, pagesBeforeFault: ScannedPage[] = []): ScanResult => {
      log.warn({ fault: error.kind, pages: pagesBeforeFault.length }, 'eSCL scan stopped');
      return { ok: false, error, pagesBeforeFault };
    };
    const c = await capabilities();
    if (!c.ok) return failed(c.error);
    const src = req.source === 'flatbed' ? c.value.platen : c.value.feeder;
    if (!src)
      return failed(
        fault(
          'unsupported',
          `this scanner has no ${req.source === 'flatbed' ? 'flatbed (Platen)' : 'feeder (Adf)'}`,
        ),
      );
    const colorMode = pickColorMode(req.colorMode, src);
    if (!colorMode)
      return failed(
        fault('unsupported', `no colour mode for ${req.colorMode} among ${src.colorModes.join(', ')}`),
      );
    const format = ['image/jpeg', 'image/png'].find((f) => src.formats.includes(f));
    if (!format) return failed(fault('unsupported', `no JPEG or PNG output among ${src.formats.join(', ')}`));
    const resolution = pickResolution(req.resolution, src);

    if (req.source === 'feeder') {
      // Step 4 before step 2: an empty, jammed or open feeder is reported without creating a job.
      const s = await getStatus(req.signal);
      if (s.ok) {
        const f = adfFault(s.value.adfState);
        if (f) return failed(f);
      } else if (s.error.kind === 'device-gone' || s.error.kind === 'cancelled') return failed(s.error);
    }

    const settings = scanSettingsXml({
      source: req.source === 'flatbed' ? 'Platen' : 'Feeder',
      colorMode,
      resolution,
      format,
      width: Math.min(src.maxWidth, A4_300THS.width),
      height: Math.min(src.maxHeight, A4_300THS.height),
      intent: 'Document',
    });
    if (req.signal?.aborted) return failed(fault('cancelled'));
    // Not cut short by the resident's cancel: a job the device created while the answer was on its
    // way would be left holding the scanner. Bounded by the request timeout; a cancel that came
    // meanwhile deletes the job just created (below).
    const created = await http('POST', `${base}/ScanJobs`, { body: settings, timeoutMs: requestTimeoutMs });
    if (!created.ok) return failed(created.error);
    const { status, location } = created.value;
    if (status === 409 || status === 503) {
      // 409 Conflict: many devices refuse a feeder job this way when the ADF is empty or jammed.
      const s = await getStatus(req.signal);
      const f = s.ok ? adfFault(s.value.adfState) : null;
      return failed(f ?? fault('busy', `ScanJobs answered HTTP ${status}`));
    }
    if (status !== 201) return failed(fault('device-error', `ScanJobs answered HTTP ${status}`));
    if (!location) return failed(fault('protocol', 'ScanJobs answered 201 without a Location header'));
    const jobUrl = new URL(location, `${base}/`).toString().replace(/\/+$/, '');
    log.info({ source: req.source, colorMode, resolution, format }, 'eSCL job created');

    const pages: ScannedPage[] = [];
    const limit = req.source === 'flatbed' ? 1 : req.maxPages;
    while (pages.length < limit) {
      if (req.signal?.aborted) {
        await deleteJob(jobUrl);
        return failed(fault('cancelled'), pages);
      }
      const next = await nextDocument(jobUrl, req.signal);
      switch (next.kind) {
        case 'page':
          pages.push(next.page);
          continue;
        case 'end': {
          const f = await explainEnd(req.signal);
          if (f) return failed(f, pages);
          if (pages.length === 0) {
            return failed(
              req.source === 'feeder'
                ? fault('feeder-empty')
                : fault('device-error', 'the job ended without a page'),
            );
          }
          log.info({ pages: pages.length }, 'eSCL scan complete');
          return { ok: true, pages };
        }
        case 'fault': {
          if (next.fault.kind !== 'device-gone') await deleteJob(jobUrl);
          const explained = next.fault.kind === 'device-error' ? await explainEnd(req.signal) : null;
          return failed(explained ?? next.fault, pages);
        }
        default: {
          const never: never = next;
          throw new Error(`unknown NextDocument outcome ${JSON.stringify(never)}`);
        }
      }
    }
    // The page limit was reached: cancel the rest of a feeder job so the device is free again.
    if (req.source === 'feeder') await deleteJob(jobUrl);
    log.info({ pages: pages.length }, 'eSCL scan complete');
    return { ok: true, pages };
  }

  const guarded = serialisedScan(closing.signal, runScan);
  return {
    driver: 'escl',
    capabilities,
    scan: guarded.scan,
    async status() {
      if (guarded.isScanning()) return { state: 'busy' };
      const s = await getStatus();
      if (!s.ok) {
        return s.error.kind === 'device-gone' || s.error.kind === 'timeout'
          ? { state: 'offline', message: s.error.message }
          : { state: 'error', message: s.error.message };
      }
      return statusFromEscl(s.value, caps ? caps.feeder !== null : true);
    },
    close() {
      closing.abort();
      return Promise.resolve();
    },
  };
}
