/**
 * SANE driver: runs `scanimage` (Debian sane-utils) as a child process for local USB scanners
 * (docs/devices-scanner.md, "SANE in brief"). The device's options are read once with `-A`; a scan is
 * one `--batch` run writing PNG pages into a private temp directory (scanimage writes `NAME.part`
 * and renames it when the page is complete; `--batch-print` announces each finished page, which also
 * resets the per-page timeout). A run that outlives the timeout is stopped (SIGTERM, then SIGKILL);
 * finished pages are kept either way.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Logger } from 'pino';
import {
  classifySaneFailure,
  parseSaneOptions,
  pickSaneMode,
  pickSaneResolution,
  pickSaneSource,
  type SaneOptions,
} from './sane-output.js';
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
import { err, ok, type Result } from '../result.js';

export type SaneDriverOptions = {
  /** SANE device name as `scanimage -L` lists it, e.g. `fujitsu:fi-7160:12345` or `test`. */
  device: string;
  logger: Logger;
  scanimagePath?: string;
  /** Backend-specific options appended to every scan, e.g. `--test-picture=Grid` for the test backend. */
  extraArgs?: readonly string[];
  /** Longest wait for the next page of a run. */
  pageTimeoutMs?: number;
  /** Longest wait for `-A` and `-n` (option listing and status probe). */
  probeTimeoutMs?: number;
  /** Grace between SIGTERM and SIGKILL. */
  killGraceMs?: number;
  tmpDir?: string;
};

export interface SaneScanner extends DocumentScanner {
  readonly driver: 'sane';
  options(): Promise<Result<SaneOptions, ScanFault>>;
}

type RunResult = {
  exitCode: number | null;
  stdoutLines: string[];
  stderr: string;
  ended: 'exit' | 'timeout' | 'cancelled' | 'spawn-error';
  spawnError: string | null;
};

const STDERR_CAP = 64 * 1024;
const PAGE_NAME = /^page-(\d+)\.png$/;

export function createSaneScanner(opts: SaneDriverOptions): SaneScanner {
  const bin = opts.scanimagePath ?? 'scanimage';
  const pageTimeoutMs = opts.pageTimeoutMs ?? 60_000;
  const probeTimeoutMs = opts.probeTimeoutMs ?? 15_000;
  const killGraceMs = opts.killGraceMs ?? 2000;
  const log = opts.logger.child({ component: 'sane', device: opts.device });
  const closing = new AbortController();
  let cached: SaneOptions | null = null;

  /** Runs scanimage; the timer restarts whenever a line arrives on stdout (a finished page). */
  function run(args: readonly string[], timeoutMs: number, signal?: AbortSignal): Promise<RunResult> {
    return new Promise((resolve) => {
      const stdoutLines: string[] = [];
      let stderr = '';
      let partial = '';
      let ended: RunResult['ended'] = 'exit';
      let spawnError: string | null = null;
      let killTimer: NodeJS.Timeout | undefined;
      const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });

      const stop = (why: 'timeout' | 'cancelled') => {
        if (ended !== 'exit') return;
        ended = why;
        child.kill('SIGTERM');
        killTimer = setTimeout(() => child.kill('SIGKILL'), killGraceMs);
      };
      let timer = setTimeout(() => stop('timeout'), timeoutMs);
      const onAbort = () => stop('cancelled');
      const signals = [closing.signal, ...(signal ? [signal] : [])];
      for (const s of signals) s.addEventListener('abort', onAbort, { once: true });
      if (signals.some((s) => s.aborted)) onAbort();

      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        partial += chunk;
        const lines = partial.split('\n');
        partial = lines.pop() ?? '';
        for (const l of lines) if (l.trim() !== '') stdoutLines.push(l.trimEnd());
        if (lines.length > 0 && ended === 'exit') {
          clearTimeout(timer);
          timer = setTimeout(() => stop('timeout'), timeoutMs);
        }
      });
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk: string) => {
        if (stderr.length < STDERR_CAP) stderr += chunk;
      });
      child.on('error', (e) => {
        spawnError = e.message;
        ended = 'spawn-error';
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        clearTimeout(killTimer);
        for (const s of signals) s.removeEventListener('abort', onAbort);
        if (partial.trim() !== '') stdoutLines.push(partial.trimEnd());
        resolve({ exitCode: code, stdoutLines, stderr, ended, spawnError });
      });
    });
  }

  function spawnFault(r: RunResult): ScanFault {
    return fault('device-gone', `cannot run ${bin}: ${r.spawnError ?? 'unknown error'} (install sane-utils)`);
  }

  async function options(): Promise<Result<SaneOptions, ScanFault>> {
    if (cached) return ok(cached);
    const r = await run(['-d', opts.device, '-A'], probeTimeoutMs);
    if (r.ended === 'spawn-error') return err(spawnFault(r));
    if (r.ended === 'timeout')
      return err(fault('timeout', `scanimage -A took longer than ${probeTimeoutMs} ms`));
    if (r.ended === 'cancelled') return err(fault('cancelled'));
    if (r.exitCode !== 0)
      return err(
        classifySaneFailure({ exitCode: r.exitCode, stderr: r.stderr, source: 'flatbed', pages: 0 }) ??
          fault('device-error'),
      );
    cached = parseSaneOptions(r.stdoutLines.join('\n'));
    log.info({ modes: cached.modes, sources: cached.sources }, 'SANE options read');
    return ok(cached);
  }

  async function readPages(dir: string, announced: readonly string[]): Promise<ScannedPage[]> {
    // Pages in number order; only finished ones (scanimage renames NAME.part to NAME when done).
    const names = new Set(announced.map((p) => basename(p.trim())));
    for (const n of await readdir(dir).catch(() => [] as string[])) if (PAGE_NAME.test(n)) names.add(n);
    const sorted = [...names]
      .filter((n) => PAGE_NAME.test(n))
      .sort((a, b) => Number(PAGE_NAME.exec(a)![1]) - Number(PAGE_NAME.exec(b)![1]));
    const pages: ScannedPage[] = [];
    for (const n of sorted) {
      const data = await readFile(join(dir, n)).catch(() => null);
      if (data && data.length > 0) pages.push({ data, mime: 'image/png' });
    }
    return pages;
  }

  async function runScan(req: ScanRequest): Promise<ScanResult> {
    const failed = (error: ScanFault, pagesBeforeFault: ScannedPage[] = []): ScanResult => {
      log.warn({ fault: error.kind, pages: pagesBeforeFault.length }, 'SANE scan stopped');
      return { ok: false, error, pagesBeforeFault };
    };
    const o = await options();
    if (!o.ok) return failed(o.error);
    const args = ['-d', opts.device, '--format=png'];
    const source = pickSaneSource(req.source, o.value);
    if (source) args.push(`--source=${source}`);
    else if (req.source === 'feeder')
      return failed(fault('unsupported', 'this scanner has no document feeder'));
    const mode = pickSaneMode(req.colorMode, o.value);
    if (mode) args.push(`--mode=${mode}`);
    const resolution = pickSaneResolution(req.resolution, o.value);
    if (o.value.resolutions) args.push(`--resolution=${resolution}`);

    const dir = await mkdtemp(join(opts.tmpDir ?? tmpdir(), 'zizhu-sane-'));
    try {
      const limit = req.source === 'flatbed' ? 1 : req.maxPages;
      args.push(
        `--batch=${join(dir, 'page-%d.png')}`,
        `--batch-count=${limit}`,
        '--batch-print',
        ...(opts.extraArgs ?? []),
      );
      log.info({ source: req.source, mode, resolution, limit }, 'SANE scan started');
      const r = await run(args, pageTimeoutMs, req.signal);
      const pages = await readPages(dir, r.stdoutLines);
      switch (r.ended) {
        case 'spawn-error':
          return failed(spawnFault(r));
        case 'timeout':
          return failed(fault('timeout', `no page from scanimage within ${pageTimeoutMs} ms`), pages);
        case 'cancelled':
          return failed(fault('cancelled'), pages);
        case 'exit':
          break;
        default: {
          const never: never = r.ended;
          throw new Error(`unknown run end ${String(never)}`);
        }
      }
      if (r.exitCode !== 0) {
        const f = classifySaneFailure({
          exitCode: r.exitCode,
          stderr: r.stderr,
          source: req.source,
          pages: pages.length,
        });
        if (f) return failed(f, pages);
      }
      if (pages.length === 0) return failed(fault('device-error', 'scanimage finished without a page'));
      log.info({ pages: pages.length }, 'SANE scan complete');
      return { ok: true, pages };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  const guarded = serialisedScan(closing.signal, runScan);
  return {
    driver: 'sane',
    options,
    scan: guarded.scan,
    async status(): Promise<ScannerStatus> {
      if (guarded.isScanning()) return { state: 'busy' };
      // `-n` opens the device and sets options without scanning: it proves the device is there.
      const r = await run(['-d', opts.device, '-n'], probeTimeoutMs);
      if (r.ended === 'spawn-error') return { state: 'offline', message: spawnFault(r).message };
      if (r.ended === 'timeout')
        return { state: 'offline', message: `no answer within ${probeTimeoutMs} ms` };
      if (r.ended === 'cancelled') return { state: 'offline', message: 'the scanner was closed' };
      if (r.exitCode === 0) {
        const feeder = cached ? (pickSaneSource('feeder', cached) ? 'unknown' : 'none') : 'unknown';
        return { state: 'ready', feeder };
      }
      const f =
        classifySaneFailure({ exitCode: r.exitCode, stderr: r.stderr, source: 'flatbed', pages: 0 }) ??
        fault('device-error');
      switch (f.kind) {
        case 'busy':
          return { state: 'busy' };
        case 'jam':
          return { state: 'jam' };
        case 'door-open':
          return { state: 'door-open' };
        case 'device-gone':
        case 'timeout':
          return { state: 'offline', message: f.message };
        case 'feeder-empty':
        case 'cancelled':
        case 'unsupported':
        case 'protocol':
        case 'device-error':
          return { state: 'error', message: f.message };
        default: {
          const never: never = f.kind;
          throw new Error(`unknown fault ${String(never)}`);
        }
      }
    },
    close() {
      closing.abort();
      return Promise.resolve();
    },
  };
}
