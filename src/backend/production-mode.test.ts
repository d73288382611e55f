/**
 * Production mode means production (issue 13, part 7; docs/security.md, "Production mode"), through
 * the real backend over HTTP: the per-boot cookie guard judges the path the router routes (so
 * `/%61pi/…` is not a way around it), and API answers carry no stack trace when the kiosk is in
 * production mode, whatever NODE_ENV says.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startKioskBackend, type KioskBackend } from './app.js';
import { loadKioskConfig } from './config.js';
import { createLogger } from './logger.js';

let dir: string;
let kiosk: KioskBackend | null = null;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-prod-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>kiosk</title>');
});
afterEach(async () => {
  await kiosk?.close();
  kiosk = null;
  rmSync(dir, { recursive: true, force: true });
});

async function start(mode: 'production' | 'development'): Promise<{ k: KioskBackend; cookie: string }> {
  const cfg = loadKioskConfig({
    argv: [],
    env: { KIOSK_DATA_DIR: join(dir, 'data'), KIOSK_PORT: '0', KIOSK_MODE: mode },
  });
  if (!cfg.ok) throw new Error(cfg.error);
  kiosk = await startKioskBackend({ config: cfg.config, logger: createLogger('silent'), rendererDir: dir });
  const cookie = ((await fetch(kiosk.url)).headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  expect(cookie).toMatch(/^kiosk_token=/);
  return { k: kiosk, cookie };
}

describe('production mode', () => {
  it('refuses an encoded /api path without the per-boot cookie, as it refuses /api', async () => {
    const { k, cookie } = await start('production');
    for (const path of ['api/system.info', '%61pi/system.info', '%2561pi/system.info', 'API/system.info']) {
      const r = await fetch(new URL(path, k.url));
      const text = await r.text();
      // Never the API's answer without the cookie: refused, or not found for a path that routes nowhere.
      expect([path, text]).not.toEqual([path, expect.stringContaining('zizhu-kiosk')]);
      expect([path, r.status === 401 || r.status === 404]).toEqual([path, true]);
    }
    expect((await fetch(new URL('%61pi/system.info', k.url))).status).toBe(401);
    // With the cookie the same encoded path works: the guard judges what the router routes.
    const ok = await fetch(new URL('%61pi/system.info', k.url), { headers: { cookie } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('zizhu-kiosk');
  });

  it('answers API errors without a stack trace in production, with one in development', async () => {
    const bad = (k: KioskBackend, cookie: string) =>
      fetch(new URL(`api/catalog.items?input=${encodeURIComponent('{"window":""}')}`, k.url), {
        headers: { cookie },
      }).then(async (r) => ({ status: r.status, text: await r.text() }));
    const prod = await start('production');
    const p = await bad(prod.k, prod.cookie);
    expect(p.status).toBe(400);
    expect(p.text).toContain('BAD_REQUEST');
    expect(p.text).not.toMatch(/"stack"|\.ts:\d+|at .*\(/);
    await prod.k.close();
    kiosk = null;

    const dev = await start('development');
    const d = await bad(dev.k, dev.cookie);
    expect(d.status).toBe(400);
    expect(d.text).toContain('"stack"');
  });
});
