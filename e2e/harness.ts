/**
 * End-to-end harness: a real kiosk backend on a free loopback port with a throw-away data dir,
 * serving the built renderer (dist/renderer), and the system Chromium driven by playwright-core.
 * Never downloads a browser: Chromium comes from the OS package (/usr/bin/chromium).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { createLogger, loadKioskConfig, startKioskBackend, type KioskBackend } from '../src/backend/index.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
export const artifactsDir = join(repoRoot, 'e2e', 'artifacts');
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const PORTRAIT = { width: 1080, height: 1920 } as const;
export const LANDSCAPE = { width: 1920, height: 1080 } as const;

export type Kiosk = { url: string; backend: KioskBackend; dataDir: string; stop(): Promise<void> };

export type StartKioskOptions = {
  /** Extra environment for loadKioskConfig (e.g. KIOSK_PRINTER: 'none'). */
  env?: Record<string, string>;
  /**
   * The backend's clock (its `clock` seam; see `settableClock`). Only tests reach it: no
   * configuration, environment variable or RPC can set the clock of a running kiosk.
   */
  clock?: () => Date;
};

/**
 * A clock for the backend that starts at `startIso` and ticks with real time, and can be moved to
 * another instant (`set`), e.g. Friday 21:26 in the hall, then Monday 10:00.
 */
export function settableClock(startIso: string): { clock: () => Date; set(iso: string): void } {
  let base = Date.parse(startIso);
  let since = Date.now();
  return {
    clock: () => new Date(base + (Date.now() - since)),
    set(iso: string) {
      base = Date.parse(iso);
      since = Date.now();
    },
  };
}

export async function startKiosk(opts: StartKioskOptions = {}): Promise<Kiosk> {
  const index = join(repoRoot, 'dist', 'renderer', 'index.html');
  if (!existsSync(index)) {
    throw new Error(
      `${index} is missing: the kiosk screen has not been built. Run "npm run build" (or "npm run build:renderer") first.`,
    );
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'zizhu-e2e-'));
  try {
    const loaded = loadKioskConfig({
      env: { ...opts.env, KIOSK_DATA_DIR: dataDir, KIOSK_PORT: '0' },
      argv: [],
    });
    if (!loaded.ok) throw new Error(`kiosk configuration: ${loaded.error}`);
    const backend = await startKioskBackend({
      config: loaded.config,
      logger: createLogger('warn'),
      ...(opts.clock ? { clock: opts.clock } : {}),
    });
    let stopped = false;
    return {
      url: backend.url,
      backend,
      dataDir,
      async stop() {
        if (stopped) return;
        stopped = true;
        try {
          await backend.close();
        } finally {
          rmSync(dataDir, { recursive: true, force: true });
        }
      },
    };
  } catch (e) {
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
}

/**
 * Loads the kiosk page and waits until its event stream is open: the screen hears the code reader,
 * the card reader and the devices through it, so a scan made before would go unheard — as a person
 * holds the receipt up once the screen is there.
 */
export async function openKioskPage(page: Page, url: string): Promise<void> {
  const streamOpen = page.waitForResponse((r) => r.url().includes('/events.stream'));
  await page.goto(url);
  await streamOpen;
}

export type Viewport = { width: number; height: number };

export async function launchBrowser(
  viewport: Viewport = PORTRAIT,
  extraArgs: readonly string[] = [],
): Promise<{ browser: Browser; page: Page }> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH} (install the OS package "chromium"; never "npx playwright install").`,
    );
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      // No 60 Hz cap on frames: Playwright waits for two animation frames (the element is stable)
      // before each click, and a kiosk test taps hundreds of keys (docs/architecture.md, "The clock seam").
      '--disable-frame-rate-limit',
      '--disable-gpu-vsync',
      ...extraArgs,
    ],
  });
  try {
    const context = await browser.newContext({
      viewport,
      deviceScaleFactor: 1,
      hasTouch: true,
      locale: 'zh-CN',
    });
    const page = await context.newPage();
    return { browser, page };
  } catch (e) {
    await browser.close();
    throw e;
  }
}

/** Saves a PNG of the viewport (or the whole page) to e2e/artifacts/<name>.png and returns its path. */
export async function screenshot(
  page: Page,
  name: string,
  opts: { fullPage?: boolean } = {},
): Promise<string> {
  mkdirSync(artifactsDir, { recursive: true });
  const path = join(artifactsDir, `${name}.png`);
  // Let the clock tick, fonts settle and any smooth scroll finish before the shot.
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  writeFileSync(path, await page.screenshot({ animations: 'disabled', fullPage: opts.fullPage === true }));
  return path;
}

export type A11yViolation = { id: string; impact: string | null; help: string; targets: string[] };

const require = createRequire(import.meta.url);
let axeSource: string | undefined;

/**
 * Injects axe-core into the page once (per document). Not page.addScriptTag({ content }): the
 * backend's CSP (script-src 'self') rightly refuses inline scripts, and the tests keep that CSP on to
 * prove the build obeys it. An evaluation through the DevTools protocol is not a page script, so CSP
 * does not apply to it.
 */
async function loadAxe(page: Page): Promise<void> {
  axeSource ??= readFileSync(require.resolve('axe-core'), 'utf8');
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.evaluate(axeSource);
}

type AxeRunOptions = {
  resultTypes: ['violations'];
  rules?: Record<string, { enabled: boolean }>;
  runOnly?: { type: 'rule'; values: string[] };
};

/** One axe run on the page (axe injected first if it is not there yet), every violation it finds. */
async function runAxe(page: Page, options: AxeRunOptions): Promise<A11yViolation[]> {
  await loadAxe(page);
  return page.evaluate(async (opts) => {
    type AxeResult = {
      violations: { id: string; impact?: string | null; help: string; nodes: { target: unknown[] }[] }[];
    };
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<AxeResult> } })
      .axe;
    const result = await axe.run(document, opts);
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.map(String).join(' ')),
    }));
  }, options);
}

const seriousOrCritical = (v: A11yViolation): boolean => v.impact === 'serious' || v.impact === 'critical';

/** Injects axe-core and runs it on the page; returns only the serious and critical violations. */
export async function checkA11y(page: Page): Promise<A11yViolation[]> {
  return (await runAxe(page, { resultTypes: ['violations'] })).filter(seriousOrCritical);
}

/** Buttons smaller than `min` px in either direction, as "w×h label" (touch-target checks). */
export async function buttonsSmallerThan(p: Page, min: number): Promise<string[]> {
  return p.evaluate((m) => {
    const out: string[] = [];
    for (const b of document.querySelectorAll('button')) {
      const r = b.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.width < m || r.height < m)
        out.push(
          `${Math.round(r.width)}×${Math.round(r.height)} ${b.textContent?.trim().slice(0, 20) ?? ''}`,
        );
    }
    return out;
  }, min);
}

/** Fails the test with the list of serious/critical axe violations on the page. */
export async function expectNoSeriousA11yViolations(p: Page, where: string): Promise<void> {
  const violations = await checkA11y(p);
  expect(violations, `${where}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

/**
 * axe in 高对比度: every serious/critical violation, plus WCAG AAA text contrast (7:1,
 * color-contrast-enhanced, off by default in axe) at any impact. One axe run: it finds everything
 * checkA11y would, and the AAA rule besides.
 */
export async function checkA11yEnhancedContrast(page: Page): Promise<A11yViolation[]> {
  const violations = await runAxe(page, {
    resultTypes: ['violations'],
    rules: { 'color-contrast-enhanced': { enabled: true } },
  });
  return violations.filter((v) => v.id === 'color-contrast-enhanced' || seriousOrCritical(v));
}

/** The landmark and heading rules of axe (best practice, moderate impact), at any impact. */
export async function landmarkViolations(page: Page): Promise<A11yViolation[]> {
  return runAxe(page, {
    resultTypes: ['violations'],
    runOnly: {
      type: 'rule',
      values: [
        'region',
        'landmark-one-main',
        'landmark-unique',
        'landmark-banner-is-top-level',
        'landmark-contentinfo-is-top-level',
        'landmark-main-is-top-level',
        'landmark-no-duplicate-banner',
        'landmark-no-duplicate-contentinfo',
        'landmark-no-duplicate-main',
        'page-has-heading-one',
        'heading-order',
        'empty-heading',
      ],
    },
  });
}
