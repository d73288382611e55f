/**
 * In-memory DocumentScanner for unit tests of consumers (sessions, applications service, UI flows):
 * no transport, same controls and the same fault semantics as the eSCL simulator. Drivers themselves
 * are tested against the simulator and the SANE test backend, never against this.
 */
import { renderSamplePage } from './sample-page.js';
import { createSimModel, type SimPage } from './sim-model.js';
import {
  checkScanRequest,
  fault,
  type ColorMode,
  type DocumentScanner,
  type ScannedPage,
  type ScannerSimulatorControl,
  type ScanResult,
} from './types.js';
import { sniffImage } from './image-format.js';

export interface FakeScanner extends DocumentScanner, ScannerSimulatorControl {
  readonly driver: 'fake';
  /** Requests received, oldest first. */
  readonly requests: ReadonlyArray<{
    source: string;
    colorMode: ColorMode;
    resolution: number;
    maxPages: number;
  }>;
}

export function createFakeScanner(
  options: { initialFeederPages?: number; renderResolution?: number } = {},
): FakeScanner {
  const model = createSimModel(options.initialFeederPages ?? 3);
  const requests: Array<{ source: string; colorMode: ColorMode; resolution: number; maxPages: number }> = [];
  let closed = false;

  const render = async (page: SimPage, colorMode: ColorMode, resolution: number): Promise<ScannedPage> => {
    const data =
      page.kind === 'image'
        ? page.data
        : await renderSamplePage({
            pageNumber: page.kind === 'generated' ? page.pageNumber : 0,
            resolution: options.renderResolution ?? resolution,
            colorMode,
            content: page.kind === 'generated' ? 'document' : 'nothing',
          });
    return { data, mime: sniffImage(data) ?? 'image/jpeg' };
  };

  return {
    driver: 'fake',
    requests,
    ...model.control,
    async scan(req): Promise<ScanResult> {
      const bad = checkScanRequest(req);
      if (bad) return { ok: false, error: bad, pagesBeforeFault: [] };
      requests.push({
        source: req.source,
        colorMode: req.colorMode,
        resolution: req.resolution,
        maxPages: req.maxPages,
      });
      if (closed)
        return { ok: false, error: fault('cancelled', 'the scanner was closed'), pagesBeforeFault: [] };
      if (model.isUnavailable()) return { ok: false, error: fault('device-gone'), pagesBeforeFault: [] };
      if (req.source === 'flatbed')
        return { ok: true, pages: [await render(model.platenPage(), req.colorMode, req.resolution)] };
      const pages: ScannedPage[] = [];
      while (pages.length < req.maxPages) {
        if (req.signal?.aborted) return { ok: false, error: fault('cancelled'), pagesBeforeFault: pages };
        const next = model.takeFeederPage();
        switch (next.kind) {
          case 'page':
            pages.push(await render(next.page, req.colorMode, req.resolution));
            break;
          case 'empty':
            return pages.length > 0
              ? { ok: true, pages }
              : { ok: false, error: fault('feeder-empty'), pagesBeforeFault: [] };
          case 'fault':
            return {
              ok: false,
              error: fault(next.fault === 'unavailable' ? 'device-gone' : next.fault),
              pagesBeforeFault: pages,
            };
          default: {
            const never: never = next;
            throw new Error(`unknown feed outcome ${JSON.stringify(never)}`);
          }
        }
      }
      return { ok: true, pages };
    },
    status() {
      if (closed || model.isUnavailable())
        return Promise.resolve({ state: 'offline', message: 'simulated device unavailable' });
      const adf = model.adfState();
      switch (adf) {
        case 'jam':
          return Promise.resolve({ state: 'jam' });
        case 'door-open':
          return Promise.resolve({ state: 'door-open' });
        case 'loaded':
        case 'empty':
          return Promise.resolve({ state: 'ready', feeder: adf });
        default: {
          const never: never = adf;
          throw new Error(`unknown feeder state ${String(never)}`);
        }
      }
    },
    close() {
      closed = true;
      return Promise.resolve();
    },
  };
}
