/**
 * The scriptable state behind the eSCL simulator and the in-memory fake: what is in the feeder, what
 * lies on the glass, and which fault comes next. Both serve pages from here, so a test scripts the
 * fake and the simulator the same way (ScannerSimulatorControl).
 */
import type { ScannerSimulatorControl, SimAdfState } from './types.js';

export type SimPage =
  { kind: 'image'; data: Buffer } | { kind: 'generated'; pageNumber: number } | { kind: 'nothing' };
export type SimFault = 'jam' | 'door-open' | 'unavailable';
export type FeedOutcome =
  { kind: 'page'; page: SimPage } | { kind: 'empty' } | { kind: 'fault'; fault: SimFault };

export interface SimModel {
  readonly control: ScannerSimulatorControl;
  adfState(): SimAdfState;
  isUnavailable(): boolean;
  /** Takes the next feeder page, or reports why there is none. */
  takeFeederPage(): FeedOutcome;
  platenPage(): SimPage;
}

const MAX_FEED = 1000;

export function createSimModel(initialFeederPages = 3): SimModel {
  const feeder: SimPage[] = [];
  let adfFault: 'jam' | 'door-open' | null = null;
  let unavailable = false;
  let platen: SimPage = { kind: 'generated', pageNumber: 1 };
  let failAfter: { remaining: number; fault: SimFault } | null = null;
  let generated = 1;

  const feedGenerated = (count: number) => {
    for (let i = 0; i < count; i++) feeder.push({ kind: 'generated', pageNumber: ++generated });
  };

  const control: ScannerSimulatorControl = {
    feedPages(pages) {
      if (typeof pages === 'number') {
        if (!Number.isInteger(pages) || pages < 0 || feeder.length + pages > MAX_FEED)
          throw new Error(`cannot feed ${pages} pages`);
        feedGenerated(pages);
      } else {
        if (feeder.length + pages.length > MAX_FEED) throw new Error(`cannot feed ${pages.length} pages`);
        for (const data of pages) feeder.push({ kind: 'image', data });
      }
    },
    setAdfState(state) {
      switch (state) {
        case 'jam':
        case 'door-open':
          adfFault = state;
          break;
        case 'empty':
          adfFault = null;
          feeder.length = 0;
          break;
        case 'loaded':
          adfFault = null;
          if (feeder.length === 0) feedGenerated(3);
          break;
        default: {
          const never: never = state;
          throw new Error(`unknown feeder state ${String(never)}`);
        }
      }
    },
    setUnavailable(value) {
      unavailable = value;
    },
    setPlatenPage(page) {
      platen =
        page === 'generated'
          ? { kind: 'generated', pageNumber: 1 }
          : page === 'nothing'
            ? { kind: 'nothing' }
            : { kind: 'image', data: page };
    },
    failAfter(pages, fault) {
      if (!Number.isInteger(pages) || pages < 0)
        throw new Error(`failAfter needs a page count, got ${pages}`);
      failAfter = { remaining: pages, fault };
    },
    feederCount: () => feeder.length,
  };

  feedGenerated(initialFeederPages);

  return {
    control,
    adfState: () => adfFault ?? (feeder.length > 0 ? 'loaded' : 'empty'),
    isUnavailable: () => unavailable,
    takeFeederPage() {
      if (unavailable) return { kind: 'fault', fault: 'unavailable' };
      if (adfFault) return { kind: 'fault', fault: adfFault };
      if (failAfter && failAfter.remaining === 0) {
        const f = failAfter.fault;
        failAfter = null;
        if (f === 'unavailable') unavailable = true;
        else adfFault = f;
        return { kind: 'fault', fault: f };
      }
      const page = feeder.shift();
      if (!page) return { kind: 'empty' };
      if (failAfter) failAfter.remaining--;
      return { kind: 'page', page };
    },
    platenPage: () => platen,
  };
}
