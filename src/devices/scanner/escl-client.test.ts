import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEsclScanner, statusFromEscl, type EsclClientOptions } from './escl-client.js';
import { startEsclSimulator, type EsclSimulator } from './escl-simulator.js';
import { scanSettingsXml } from './escl-xml.js';
import { silentLogger, testPicture } from './test-kit.js';

let sim: EsclSimulator;
const closers: Array<() => Promise<void>> = [];
beforeEach(async () => {
  sim = await startEsclSimulator({ initialFeederPages: 0 });
});
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
  await sim.close();
});

function client(extra: Partial<EsclClientOptions> = {}) {
  const c = createEsclScanner({
    url: sim.url,
    logger: silentLogger(),
    notReadyRetryMs: 10,
    requestTimeoutMs: 2000,
    pageTimeoutMs: 5000,
    ...extra,
  });
  closers.push(() => c.close());
  return c;
}

const flatbed = { source: 'flatbed', colorMode: 'color', resolution: 75, maxPages: 1 } as const;
const feeder = { source: 'feeder', colorMode: 'grayscale', resolution: 75, maxPages: 10 } as const;

describe('eSCL client against the simulator (real HTTP)', () => {
  it('reads capabilities', async () => {
    const caps = await client().capabilities();
    expect(caps).toMatchObject({
      ok: true,
      value: { makeAndModel: 'Zizhu eSCL Simulator', platen: { resolutions: [75, 100, 150, 200, 300, 600] } },
    });
  });

  it('scans one flatbed page: A4 at the requested resolution, colour JPEG', async () => {
    const r = await client().scan({ ...flatbed, resolution: 100 });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.pages).toHaveLength(1);
    expect(r.pages[0]!.mime).toBe('image/jpeg');
    expect(await sharp(r.pages[0]!.data).metadata()).toMatchObject({ width: 827, height: 1169, channels: 3 });
    expect(sim.jobs()).toHaveLength(1);
    expect(sim.jobs()[0]).toMatchObject({
      state: 'Completed',
      settings: {
        source: 'Platen',
        colorMode: 'RGB24',
        resolution: 100,
        format: 'image/jpeg',
        width: 2480,
        height: 3508,
      },
    });
  });

  it('asks for greyscale and for the nearest supported resolution', async () => {
    const r = await client().scan({ ...flatbed, colorMode: 'grayscale', resolution: 90 });
    if (!r.ok) throw new Error(r.error.message);
    expect((await sharp(r.pages[0]!.data).metadata()).channels).toBe(1);
    expect(sim.jobs()[0]!.settings).toMatchObject({ colorMode: 'Grayscale8', resolution: 100 });
  });

  it('takes every feeder page until NextDocument answers 404', async () => {
    sim.feedPages(4);
    const r = await client().scan(feeder);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.pages).toHaveLength(4);
    // Generated pages differ from each other (content addressing must not merge them).
    expect(new Set(r.pages.map((p) => p.data.toString('base64'))).size).toBe(4);
    expect(sim.feederCount()).toBe(0);
    expect(sim.jobs()[0]!.state).toBe('Completed');
  });

  it('serves fed images as they are', async () => {
    const png = testPicture('Grid');
    const jpeg = testPicture('Color pattern', { format: 'jpeg', mode: 'Color' });
    sim.feedPages([png, jpeg]);
    const r = await client().scan(feeder);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.pages.map((p) => p.mime)).toEqual(['image/png', 'image/jpeg']);
    expect(r.pages[0]!.data.equals(png)).toBe(true);
    expect(r.pages[1]!.data.equals(jpeg)).toBe(true);
  });

  it('stops at maxPages and deletes the job, leaving the rest in the feeder', async () => {
    sim.feedPages(5);
    const r = await client().scan({ ...feeder, maxPages: 2 });
    expect(r.ok && r.pages.length).toBe(2);
    expect(sim.feederCount()).toBe(3);
    expect(sim.jobs()[0]!.state).toBe('Canceled');
  });

  it('retries NextDocument on 503 and still gets every page', async () => {
    sim.feedPages(2);
    sim.setNotReadyPolls(3);
    const r = await client().scan(feeder);
    expect(r.ok && r.pages.length).toBe(2);
  });

  it('gives up after the bounded number of 503 replies, as a timeout', async () => {
    sim.feedPages(2);
    sim.setNotReadyPolls(30);
    const t0 = Date.now();
    const r = await client({ maxNotReadyRetries: 4 }).scan(feeder);
    expect(r).toMatchObject({ ok: false, error: { kind: 'timeout' }, pagesBeforeFault: [] });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(sim.jobs()[0]!.state).toBe('Canceled');
  });

  it.each([
    ['empty', 'feeder-empty'],
    ['jam', 'jam'],
    ['door-open', 'door-open'],
  ] as const)('reports a feeder that is %s before creating a job', async (state, kind) => {
    sim.feedPages(2);
    sim.setAdfState(state);
    const r = await client().scan(feeder);
    expect(r).toMatchObject({ ok: false, error: { kind }, pagesBeforeFault: [] });
    expect(sim.jobs()).toHaveLength(0);
  });

  it.each([
    ['jam', 2],
    ['door-open', 1],
  ] as const)('keeps the pages scanned before a %s after %i pages', async (f, after) => {
    sim.feedPages(5);
    sim.failAfter(after, f);
    const r = await client().scan(feeder);
    expect(r).toMatchObject({ ok: false, error: { kind: f } });
    if (!r.ok) expect(r.pagesBeforeFault).toHaveLength(after);
    expect(await client().status()).toEqual({ state: f });
  });

  it('reports an unplugged scanner, before and during a job', async () => {
    sim.setUnavailable(true);
    expect(await client().scan(flatbed)).toMatchObject({ ok: false, error: { kind: 'device-gone' } });
    expect(await client().status()).toMatchObject({ state: 'offline' });
    sim.setUnavailable(false);
    sim.feedPages(3);
    sim.failAfter(1, 'unavailable');
    const r = await client().scan(feeder);
    expect(r).toMatchObject({ ok: false, error: { kind: 'device-gone' } });
    if (!r.ok) expect(r.pagesBeforeFault).toHaveLength(1);
  });

  it('times out on a hung scanner', async () => {
    sim.setStalled(true);
    const t0 = Date.now();
    expect(await client({ requestTimeoutMs: 300 }).scan(flatbed)).toMatchObject({
      ok: false,
      error: { kind: 'timeout' },
    });
    expect(await client({ requestTimeoutMs: 300 }).status()).toMatchObject({ state: 'offline' });
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('reports status from pwg:State and scan:AdfState', async () => {
    const c = client();
    expect(await c.status()).toEqual({ state: 'ready', feeder: 'empty' });
    sim.feedPages(1);
    expect(await c.status()).toEqual({ state: 'ready', feeder: 'loaded' });
  });

  it('cancels on abort and deletes the job', async () => {
    sim.feedPages(3);
    sim.setNotReadyPolls(1000);
    const ac = new AbortController();
    const c = client({ notReadyRetryMs: 50 });
    const running = c.scan({ ...feeder, signal: ac.signal });
    // Cancel once the device holds the job (however long that takes on a busy machine).
    for (let i = 0; i < 200 && sim.jobs().length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    ac.abort();
    expect(await running).toMatchObject({ ok: false, error: { kind: 'cancelled' } });
    // The client deleted the job before answering.
    expect(sim.jobs()[0]!.state).toBe('Canceled');
  });

  it('deletes a job the device created while the cancel was on its way', async () => {
    sim.feedPages(3);
    sim.setCreateDelay(300);
    const ac = new AbortController();
    const c = client({ notReadyRetryMs: 50 });
    const running = c.scan({ ...feeder, signal: ac.signal });
    // The device has the job but its answer is still on the way when the resident cancels.
    for (let i = 0; i < 200 && sim.jobs().length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    ac.abort();
    expect(await running).toMatchObject({ ok: false, error: { kind: 'cancelled' } });
    expect(sim.jobs().map((j) => j.state)).toEqual(['Canceled']);
    // The scanner is free for the next resident.
    sim.setCreateDelay(0);
    expect((await client().scan(flatbed)).ok).toBe(true);
  });

  it('is busy while another client holds the scanner, and refuses a second scan on itself', async () => {
    sim.feedPages(3);
    sim.setNotReadyPolls(1000);
    const ac = new AbortController();
    const first = client({ notReadyRetryMs: 50 });
    const running = first.scan({ ...feeder, signal: ac.signal });
    await new Promise((r) => setTimeout(r, 100));
    expect(await first.scan(flatbed)).toMatchObject({ ok: false, error: { kind: 'busy' } });
    expect(await first.status()).toEqual({ state: 'busy' });
    expect(await client().scan(flatbed)).toMatchObject({ ok: false, error: { kind: 'busy' } });
    expect(await client().status()).toEqual({ state: 'busy' });
    ac.abort();
    await running;
  });

  it('follows a relative Location', async () => {
    const rel = await startEsclSimulator({ locationStyle: 'relative' });
    closers.push(() => rel.close());
    const c = createEsclScanner({ url: rel.url, logger: silentLogger() });
    closers.push(() => c.close());
    const r = await c.scan(flatbed);
    expect(r.ok).toBe(true);
  });

  it('refuses a source the device lacks', async () => {
    const flat = await startEsclSimulator({
      capabilities: {
        version: '2.63',
        makeAndModel: 'flatbed only',
        platen: {
          colorModes: ['RGB24'],
          resolutions: [300],
          formats: ['image/jpeg'],
          maxWidth: 2550,
          maxHeight: 3508,
        },
        feeder: null,
      },
    });
    closers.push(() => flat.close());
    const c = createEsclScanner({ url: flat.url, logger: silentLogger() });
    closers.push(() => c.close());
    expect(await c.scan(feeder)).toMatchObject({ ok: false, error: { kind: 'unsupported' } });
    expect(await c.status()).toEqual({ state: 'ready', feeder: 'none' });
  });
});

describe('the simulator speaks eSCL (plain HTTP, no client)', () => {
  it('answers 201 + Location, pages, then 404 after the last feeder page', async () => {
    sim.feedPages(1);
    const body = scanSettingsXml({
      source: 'Feeder',
      colorMode: 'RGB24',
      resolution: 75,
      format: 'image/jpeg',
      width: 2480,
      height: 3508,
      intent: 'Document',
    });
    const post = await fetch(`${sim.url}/ScanJobs`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'text/xml' },
    });
    expect(post.status).toBe(201);
    const location = post.headers.get('location') ?? '';
    expect(location).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/eSCL\/ScanJobs\/[0-9a-f-]{36}$/);
    const page = await fetch(`${location}/NextDocument`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('image/jpeg');
    await page.arrayBuffer();
    expect((await fetch(`${location}/NextDocument`)).status).toBe(404);
  });

  it('answers 400 to malformed settings and 409 to unsupported ones', async () => {
    expect((await fetch(`${sim.url}/ScanJobs`, { method: 'POST', body: '<nonsense/>' })).status).toBe(400);
    const body = scanSettingsXml({
      source: 'Platen',
      colorMode: 'RGB24',
      resolution: 333,
      format: 'image/jpeg',
      width: 2480,
      height: 3508,
      intent: 'Document',
    });
    expect((await fetch(`${sim.url}/ScanJobs`, { method: 'POST', body })).status).toBe(409);
  });
});

describe('statusFromEscl', () => {
  it.each([
    [{ state: 'Idle', adfState: 'ScannerAdfHatchOpen' }, { state: 'door-open' }],
    [{ state: 'Idle', adfState: 'ScannerAdfMispick' }, { state: 'jam' }],
    [
      { state: 'Stopped', adfState: null },
      { state: 'error', message: 'scanner state Stopped' },
    ],
    [{ state: 'Idle', adfState: 'ScannerAdfInputTrayOverloaded' }, { state: 'error' }],
    [{ state: 'Testing', adfState: 'ScannerAdfLoaded' }, { state: 'busy' }],
    [
      { state: 'Idle', adfState: 'ScannerAdfProcessing' },
      { state: 'ready', feeder: 'loaded' },
    ],
  ])('%j → %j', (input, want) => {
    expect(statusFromEscl(input, true)).toMatchObject(want);
  });
});
