/**
 * Every screen but home (and the farewell reminder) loads on demand: the home screen's chunk holds
 * the shell alone, and the flows, the 办事指南 screens and the technician console are chunks of their
 * own (with the on-screen keyboard and the pinyin dictionary in the chunks that use them).
 * `prefetchResidentScreens` fetches what a resident may tap next once home is idle.
 */
import type { ComponentProps } from 'react';
import { lazyScreen } from '../components/lazy-screen.js';
import type { ApplyFlow } from '../flows/apply/apply-flow.js';
import type { EvaluateFlow } from '../flows/evaluate/evaluate-flow.js';
import type { ProgressFlow } from '../flows/progress/progress-flow.js';
import type { QueueFlow } from '../flows/queue/queue-flow.js';
import type { BundleScreen } from './bundle-screen.js';
import type { BundlesScreen } from './bundles-screen.js';
import type { CatalogScreen } from './catalog-screen.js';
import type { GuideScreen } from './guide-screen.js';
import type { TechConsoleScreen } from './tech-console-screen.js';
import type { TechLoginScreen } from './tech-login-screen.js';
import type { WindowScreen } from './window-screen.js';

export const applyScreen = lazyScreen<ComponentProps<typeof ApplyFlow>>(() =>
  import('../flows/apply/apply-flow.js').then((m) => m.ApplyFlow),
);
export const progressScreen = lazyScreen<ComponentProps<typeof ProgressFlow>>(() =>
  import('../flows/progress/progress-flow.js').then((m) => m.ProgressFlow),
);
export const queueScreen = lazyScreen<ComponentProps<typeof QueueFlow>>(() =>
  import('../flows/queue/queue-flow.js').then((m) => m.QueueFlow),
);
export const evaluateScreen = lazyScreen<ComponentProps<typeof EvaluateFlow>>(() =>
  import('../flows/evaluate/evaluate-flow.js').then((m) => m.EvaluateFlow),
);
export const catalogScreen = lazyScreen<ComponentProps<typeof CatalogScreen>>(() =>
  import('./catalog-screen.js').then((m) => m.CatalogScreen),
);
export const windowScreen = lazyScreen<ComponentProps<typeof WindowScreen>>(() =>
  import('./window-screen.js').then((m) => m.WindowScreen),
);
export const guideScreen = lazyScreen<ComponentProps<typeof GuideScreen>>(() =>
  import('./guide-screen.js').then((m) => m.GuideScreen),
);
export const bundlesScreen = lazyScreen<ComponentProps<typeof BundlesScreen>>(() =>
  import('./bundles-screen.js').then((m) => m.BundlesScreen),
);
export const bundleScreen = lazyScreen<ComponentProps<typeof BundleScreen>>(() =>
  import('./bundle-screen.js').then((m) => m.BundleScreen),
);
export const techLoginScreen = lazyScreen<ComponentProps<typeof TechLoginScreen>>(() =>
  import('./tech-login-screen.js').then((m) => m.TechLoginScreen),
);
export const techConsoleScreen = lazyScreen<ComponentProps<typeof TechConsoleScreen>>(() =>
  import('./tech-console-screen.js').then((m) => m.TechConsoleScreen),
);

/** The five tiles' screens and what they lead to (not the technician's: nobody taps those by chance). */
const RESIDENT_SCREENS = [
  applyScreen,
  progressScreen,
  queueScreen,
  evaluateScreen,
  catalogScreen,
  windowScreen,
  guideScreen,
  bundlesScreen,
  bundleScreen,
];

/** Fetches the resident screens' chunks one after another (the kiosk's two cores serve the screen first). */
export async function prefetchResidentScreens(): Promise<void> {
  for (const s of RESIDENT_SCREENS) await s.preload();
}
