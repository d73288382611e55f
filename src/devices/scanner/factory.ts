/**
 * `createScanner` — the one way the device manager and the CLI obtain a scanner (docs/architecture.md,
 * "Devices"): `sane:DEVICE` → SANE driver, `escl:URL` → eSCL client, `sim:` → in development the built-in
 * eSCL simulator on 127.0.0.1 with the REAL eSCL client connected to it over HTTP (so a kiosk started
 * with defaults runs real driver code); `sim:` is refused in production.
 */
import type { Logger } from 'pino';
import { createEsclScanner, type EsclClientOptions } from './escl-client.js';
import { startEsclSimulator, type EsclSimulator } from './escl-simulator.js';
import { createSaneScanner, type SaneDriverOptions } from './sane-driver.js';

/** `scanimage -d test --help`: `--test-picture Solid black|Solid white|Color pattern|Grid`. */
export const SANE_TEST_PICTURE: readonly string[] = ['--test-picture=Color pattern'];
import type { DocumentScanner } from './types.js';
import { err, ok, type Result } from '../result.js';
import { parseDeviceUri, refuseSimulatorInProduction } from '../uri.js';

export type CreateScannerOptions = {
  uri: string;
  mode: 'production' | 'development';
  logger: Logger;
  sane?: Omit<SaneDriverOptions, 'device' | 'logger'>;
  escl?: Omit<EsclClientOptions, 'url' | 'logger'>;
};

export type ScannerHandle = {
  scanner: DocumentScanner;
  /** The running simulator for `sim:` (its controls back the dev panel and the simulator API), else null. */
  simulator: EsclSimulator | null;
  /** The address the driver really talks to, e.g. `escl:http://127.0.0.1:41234/eSCL` for `sim:`. */
  effectiveUri: string;
  /** Closes the driver and stops the simulator. */
  close(): Promise<void>;
};

/** Simulator options in the address: `sim:?pages=5&notReady=1` (initial feeder pages, 503s per page). */
function simNumber(
  options: Record<string, string>,
  key: string,
  fallback: number,
  max: number,
): Result<number, string> {
  const raw = options[key];
  if (raw === undefined) return ok(fallback);
  const n = Number(raw);
  return Number.isInteger(n) && n >= 0 && n <= max
    ? ok(n)
    : err(`sim: option ${key}=${raw} must be an integer 0..${max}`);
}

export async function createScanner(o: CreateScannerOptions): Promise<Result<ScannerHandle, string>> {
  const parsed = parseDeviceUri(o.uri);
  if (!parsed.ok) return parsed;
  const allowed = refuseSimulatorInProduction(parsed.value, o.mode);
  if (!allowed.ok) return allowed;
  const address = allowed.value;
  switch (address.scheme) {
    case 'sane': {
      const scanner = createSaneScanner({
        ...o.sane,
        // The SANE test backend's default picture is solid black, which every blank-page check
        // rightly refuses: `sane:test` scans its colour pattern unless told otherwise.
        extraArgs: o.sane?.extraArgs ?? (address.device === 'test' ? SANE_TEST_PICTURE : undefined),
        device: address.device,
        logger: o.logger,
      });
      return ok({ scanner, simulator: null, effectiveUri: o.uri, close: () => scanner.close() });
    }
    case 'escl': {
      const scanner = createEsclScanner({ ...o.escl, url: address.url, logger: o.logger });
      return ok({ scanner, simulator: null, effectiveUri: o.uri, close: () => scanner.close() });
    }
    case 'sim': {
      const pages = simNumber(address.options, 'pages', 3, 1000);
      if (!pages.ok) return pages;
      const notReady = simNumber(address.options, 'notReady', 0, 30);
      if (!notReady.ok) return notReady;
      const simulator = await startEsclSimulator({ logger: o.logger, initialFeederPages: pages.value });
      simulator.setNotReadyPolls(notReady.value);
      const scanner = createEsclScanner({
        notReadyRetryMs: 200,
        ...o.escl,
        url: simulator.url,
        logger: o.logger,
      });
      o.logger.info({ url: simulator.url }, 'scanner: built-in eSCL simulator started (development mode)');
      return ok({
        scanner,
        simulator,
        effectiveUri: `escl:${simulator.url}`,
        close: async () => {
          await scanner.close();
          await simulator.close();
        },
      });
    }
    case 'camera':
      return err(
        'camera: addresses a document camera, which the renderer drives (getUserMedia); it is not a backend scanner',
      );
    case 'none':
      return err('no scanner is configured (none)');
    case 'serial':
    case 'tcp':
    case 'usblp':
    case 'hid':
      return err(
        `a scanner cannot be addressed as ${address.scheme}: use sane:DEVICE, escl:http://HOST/eSCL or sim:`,
      );
    default: {
      const never: never = address;
      throw new Error(`unknown address ${JSON.stringify(never)}`);
    }
  }
}
