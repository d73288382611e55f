/**
 * A protocol-true eSCL scanner on 127.0.0.1 (docs/devices-scanner.md, "eSCL in brief"): the real
 * client talks to it over real HTTP. It serves ScannerCapabilities, ScannerStatus (pwg:State,
 * scan:AdfState), ScanJobs (201 + Location), NextDocument (503 while "not ready", 404 after the last
 * feeder page) and DELETE, from a scriptable model: feeder pages, feeder state, faults after N pages,
 * an unplugged device (connections dropped), a hung device (requests never answered).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import {
  capabilitiesXml,
  parseScanSettings,
  statusXml,
  type EsclCapabilities,
  type EsclColorMode,
  type EsclScanSettings,
  type EsclSourceCaps,
} from './escl-xml.js';
import { renderSamplePage } from './sample-page.js';
import { createSimModel, type SimModel, type SimPage } from './sim-model.js';
import type { ColorMode, ScannerSimulatorControl, SimAdfState } from './types.js';

export type SimJob = {
  id: string;
  settings: EsclScanSettings;
  state: 'Processing' | 'Completed' | 'Canceled' | 'Aborted';
  pagesDelivered: number;
  lastActivity: number;
};

export interface EsclSimulator extends ScannerSimulatorControl {
  /** eSCL root, e.g. http://127.0.0.1:41234/eSCL; the device address is `escl:` + url. */
  readonly url: string;
  /** NextDocument answers 503 this many times before each page. */
  setNotReadyPolls(count: number): void;
  /** A hung device: requests are accepted and never answered. */
  setStalled(stalled: boolean): void;
  /** ScanJobs answers this long after the job exists (a slow device, a slow network). */
  setCreateDelay(ms: number): void;
  /** Jobs created so far, oldest first (what settings the client sent). */
  jobs(): readonly SimJob[];
  close(): Promise<void>;
}

export type EsclSimulatorOptions = {
  host?: string;
  port?: number;
  logger?: Logger;
  initialFeederPages?: number;
  /** `Location` as an absolute URL (most devices) or a path. */
  locationStyle?: 'absolute' | 'relative';
  capabilities?: EsclCapabilities;
};

const SOURCE_CAPS: EsclSourceCaps = {
  colorModes: ['RGB24', 'Grayscale8', 'BlackAndWhite1'],
  resolutions: [75, 100, 150, 200, 300, 600],
  formats: ['image/jpeg', 'image/png'],
  maxWidth: 2550,
  maxHeight: 3508,
};

export const SIMULATOR_CAPABILITIES: EsclCapabilities = {
  version: '2.63',
  makeAndModel: 'Zizhu eSCL Simulator',
  platen: SOURCE_CAPS,
  feeder: SOURCE_CAPS,
};

const ADF_STATE_XML: Record<SimAdfState, string> = {
  loaded: 'ScannerAdfLoaded',
  empty: 'ScannerAdfEmpty',
  jam: 'ScannerAdfJam',
  'door-open': 'ScannerAdfDoorOpen',
};

/** A job untouched this long is abandoned (a client that went away) and no longer blocks new jobs. */
const JOB_IDLE_MS = 30_000;
const MAX_BODY = 64 * 1024;

const COLOR: Record<EsclColorMode, ColorMode> = {
  RGB24: 'color',
  Grayscale8: 'grayscale',
  BlackAndWhite1: 'black-and-white',
};

async function renderPage(page: SimPage, settings: EsclScanSettings): Promise<Buffer> {
  let jpeg: Buffer;
  switch (page.kind) {
    case 'image':
      return page.data;
    case 'generated':
      jpeg = await renderSamplePage({
        pageNumber: page.pageNumber,
        resolution: settings.resolution,
        colorMode: COLOR[settings.colorMode],
        content: 'document',
      });
      break;
    case 'nothing':
      jpeg = await renderSamplePage({
        pageNumber: 0,
        resolution: settings.resolution,
        colorMode: COLOR[settings.colorMode],
        content: 'nothing',
      });
      break;
    default: {
      const never: never = page;
      throw new Error(`unknown page ${JSON.stringify(never)}`);
    }
  }
  if (settings.format !== 'image/png') return jpeg;
  const { default: sharp } = await import('sharp');
  return sharp(jpeg).png().toBuffer();
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_BODY ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(null));
  });
}

function unsupported(settings: EsclScanSettings, caps: EsclCapabilities): string | null {
  const src = settings.source === 'Platen' ? caps.platen : caps.feeder;
  if (!src) return `no ${settings.source}`;
  if (!src.colorModes.includes(settings.colorMode)) return `colour mode ${settings.colorMode}`;
  if (!src.resolutions.includes(settings.resolution)) return `resolution ${settings.resolution}`;
  if (!src.formats.includes(settings.format)) return `format ${settings.format}`;
  return null;
}

export async function startEsclSimulator(options: EsclSimulatorOptions = {}): Promise<EsclSimulator> {
  const caps = options.capabilities ?? SIMULATOR_CAPABILITIES;
  const model: SimModel = createSimModel(options.initialFeederPages ?? 3);
  const log = options.logger?.child({ component: 'escl-simulator' });
  const jobs: SimJob[] = [];
  const held = new Set<ServerResponse>();
  let notReadyPolls = 0;
  let createDelayMs = 0;
  let stalled = false;
  const notReadyLeft = new Map<string, number>();

  const activeJob = (now: number): SimJob | undefined =>
    jobs.find((j) => {
      if (j.state === 'Processing' && now - j.lastActivity > JOB_IDLE_MS) j.state = 'Aborted';
      return j.state === 'Processing';
    });

  const send = (
    res: ServerResponse,
    status: number,
    body: string | Buffer = '',
    headers: Record<string, string> = {},
  ) => {
    res.writeHead(status, { 'content-length': String(Buffer.byteLength(body)), ...headers });
    res.end(body);
  };
  const xml = (res: ServerResponse, body: string) =>
    send(res, 200, body, { 'content-type': 'text/xml; charset=utf-8' });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/\/+$/, '');
    const method = req.method ?? 'GET';
    const now = Date.now();

    if (method === 'GET' && path === '/eSCL/ScannerCapabilities') return xml(res, capabilitiesXml(caps));
    if (method === 'GET' && path === '/eSCL/ScannerStatus') {
      return xml(
        res,
        statusXml({
          state: activeJob(now) ? 'Processing' : 'Idle',
          adfState: caps.feeder ? ADF_STATE_XML[model.adfState()] : null,
        }),
      );
    }
    if (method === 'POST' && path === '/eSCL/ScanJobs') {
      const body = await readBody(req);
      if (body === null) return send(res, 413);
      const settings = parseScanSettings(body);
      if (!settings.ok) return send(res, 400, settings.error);
      const bad = unsupported(settings.value, caps);
      if (bad) return send(res, 409, `unsupported: ${bad}`);
      if (activeJob(now)) return send(res, 503, 'busy');
      if (settings.value.source === 'Feeder' && model.adfState() !== 'loaded')
        return send(res, 409, `feeder ${model.adfState()}`);
      const job: SimJob = {
        id: randomUUID(),
        settings: settings.value,
        state: 'Processing',
        pagesDelivered: 0,
        lastActivity: now,
      };
      jobs.push(job);
      notReadyLeft.set(job.id, notReadyPolls);
      const path = `/eSCL/ScanJobs/${job.id}`;
      const host = req.headers.host ?? `${options.host ?? '127.0.0.1'}`;
      log?.debug({ job: job.id, settings: settings.value }, 'job created');
      if (createDelayMs > 0) await new Promise((r) => setTimeout(r, createDelayMs));
      return send(res, 201, '', {
        location: options.locationStyle === 'relative' ? path : `http://${host}${path}`,
      });
    }
    const m = /^\/eSCL\/ScanJobs\/([0-9a-f-]{36})(\/NextDocument)?$/.exec(path);
    const job = m ? jobs.find((j) => j.id === m[1]) : undefined;
    if (m && method === 'DELETE' && !m[2]) {
      if (!job || job.state !== 'Processing') return send(res, 404);
      job.state = 'Canceled';
      return send(res, 200);
    }
    if (m && method === 'GET' && m[2]) {
      if (!job || job.state !== 'Processing') return send(res, 404);
      job.lastActivity = now;
      const left = notReadyLeft.get(job.id) ?? 0;
      if (left > 0) {
        notReadyLeft.set(job.id, left - 1);
        return send(res, 503, 'not ready', { 'retry-after': '1' });
      }
      let page: SimPage;
      if (job.settings.source === 'Platen') {
        if (job.pagesDelivered >= 1) {
          job.state = 'Completed';
          return send(res, 404);
        }
        page = model.platenPage();
      } else {
        const next = model.takeFeederPage();
        switch (next.kind) {
          case 'page':
            page = next.page;
            break;
          case 'empty':
            // Step 3: 404 after the last feeder page.
            job.state = 'Completed';
            return send(res, 404);
          case 'fault':
            job.state = 'Aborted';
            if (next.fault === 'unavailable') {
              res.socket?.destroy();
              return;
            }
            // The page did not come; ScannerStatus now reports the jam or the open door.
            return send(res, 404);
          default: {
            const never: never = next;
            throw new Error(`unknown feed outcome ${JSON.stringify(never)}`);
          }
        }
      }
      const data = await renderPage(page, job.settings);
      job.pagesDelivered++;
      notReadyLeft.set(job.id, notReadyPolls);
      if (job.settings.source === 'Platen') job.state = 'Completed';
      return send(res, 200, data, { 'content-type': job.settings.format });
    }
    return send(res, 404);
  }

  const server = createServer((req, res) => {
    if (model.isUnavailable()) {
      // Unplugged: the connection drops without a reply.
      req.socket.destroy();
      return;
    }
    if (stalled) {
      held.add(res);
      res.on('close', () => held.delete(res));
      return;
    }
    handle(req, res).catch((e: unknown) => {
      log?.error({ err: e }, 'simulator request failed');
      if (!res.headersSent) send(res, 500);
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const url = `http://${addr.address}:${addr.port}/eSCL`;
  log?.info({ url }, 'eSCL simulator listening');

  return {
    url,
    ...model.control,
    setNotReadyPolls(count) {
      if (!Number.isInteger(count) || count < 0)
        throw new Error(`setNotReadyPolls needs a count, got ${count}`);
      notReadyPolls = count;
    },
    setStalled(value) {
      stalled = value;
    },
    setCreateDelay(ms) {
      if (!Number.isInteger(ms) || ms < 0) throw new Error(`setCreateDelay needs milliseconds, got ${ms}`);
      createDelayMs = ms;
    },
    jobs: () => jobs,
    close() {
      for (const res of held) res.destroy();
      held.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
