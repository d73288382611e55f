import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBlobStore } from './blob-store.js';
import { createScanner, type ScannerHandle } from './factory.js';
import { createPagePipeline } from './page-pipeline.js';
import { scannerDeviceState } from './device-state.js';
import { silentLogger } from './test-kit.js';

const logger = silentLogger();
const handles: ScannerHandle[] = [];
afterEach(async () => {
  for (const h of handles.splice(0)) await h.close();
});

async function open(uri: string, mode: 'production' | 'development' = 'development'): Promise<ScannerHandle> {
  const r = await createScanner({ uri, mode, logger });
  if (!r.ok) throw new Error(r.error);
  handles.push(r.value);
  return r.value;
}

describe('createScanner', () => {
  it('refuses sim: in production', async () => {
    const r = await createScanner({ uri: 'sim:', mode: 'production', logger });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/production/);
  });

  it('starts the simulator for sim: in development and connects the real eSCL client to it', async () => {
    const h = await open('sim:?pages=2');
    expect(h.scanner.driver).toBe('escl');
    expect(h.simulator).not.toBeNull();
    expect(h.effectiveUri).toMatch(/^escl:http:\/\/127\.0\.0\.1:\d+\/eSCL$/);
    const r = await h.scanner.scan({
      source: 'feeder',
      colorMode: 'grayscale',
      resolution: 75,
      maxPages: 10,
    });
    expect(r.ok && r.pages.length).toBe(2);
    // The pages went over HTTP: the simulator recorded the job.
    expect(h.simulator?.jobs()).toHaveLength(1);
    h.simulator?.setAdfState('jam');
    expect(await h.scanner.status()).toEqual({ state: 'jam' });
  });

  it('stops the simulator on close', async () => {
    const r = await createScanner({ uri: 'sim:', mode: 'development', logger });
    if (!r.ok) throw new Error(r.error);
    const url = r.value.simulator?.url ?? '';
    expect((await fetch(`${url}/ScannerStatus`)).status).toBe(200);
    await r.value.close();
    await expect(fetch(`${url}/ScannerStatus`)).rejects.toThrow();
  });

  it('makes a SANE driver for sane: and an eSCL client for escl:', async () => {
    expect((await open('sane:test', 'production')).scanner.driver).toBe('sane');
    const escl = await open('escl:http://127.0.0.1:9/eSCL', 'production');
    expect(escl.scanner.driver).toBe('escl');
    expect(escl.simulator).toBeNull();
    // Nothing listens on port 9 (discard): the scanner is offline, which is a status, not a crash.
    expect(await escl.scanner.status()).toMatchObject({ state: 'offline' });
  });

  it.each(['camera:default', 'none', 'tcp://10.0.0.5:9100', 'sim:?pages=lots', 'bogus'])(
    'refuses %s with a message',
    async (uri) => {
      const r = await createScanner({ uri, mode: 'development', logger });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.length).toBeGreaterThan(10);
    },
  );
});

describe('sane:test', () => {
  // `npm run cli -- scanner scan --uri sane:test` must give a page, not the backend's black default.
  it.skipIf(!existsSync('/usr/bin/scanimage'))(
    'scans the colour pattern, which is not a blank page',
    async () => {
      const h = await open('sane:test', 'production');
      const r = await h.scanner.scan({ source: 'flatbed', colorMode: 'color', resolution: 75, maxPages: 1 });
      if (!r.ok) throw new Error(r.error.message);
      const dir = await mkdtemp(join(tmpdir(), 'zizhu-sane-test-'));
      try {
        const pipeline = createPagePipeline({ store: createBlobStore({ root: dir }), logger });
        const page = await pipeline.processPage(r.pages[0]!.data, { pagesSoFar: 0 });
        expect(page.ok && page.value.kind).toBe('stored');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    60_000,
  );
});

describe('scannerDeviceState', () => {
  it.each([
    [{ state: 'ready', feeder: 'empty' }, { state: 'ready' }],
    [{ state: 'busy' }, { state: 'ready' }],
    [{ state: 'jam' }, { state: 'fault' }],
    [{ state: 'door-open' }, { state: 'fault' }],
    [{ state: 'offline', message: 'x' }, { state: 'disconnected' }],
    [
      { state: 'error', message: 'scanner state Stopped' },
      { state: 'fault', detail: 'scanner state Stopped' },
    ],
  ] as const)('%j → %j', (status, want) => {
    expect(scannerDeviceState(status)).toMatchObject(want);
  });
});
