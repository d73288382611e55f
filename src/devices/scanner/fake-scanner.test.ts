import { describe, expect, it } from 'vitest';
import { createFakeScanner } from './fake-scanner.js';
import { testPicture } from './test-kit.js';

describe('fake scanner (for consumers’ unit tests)', () => {
  it('serves the glass and the feeder like the simulator', async () => {
    const fake = createFakeScanner({ initialFeederPages: 2, renderResolution: 30 });
    const flat = await fake.scan({ source: 'flatbed', colorMode: 'color', resolution: 300, maxPages: 1 });
    expect(flat.ok && flat.pages.length).toBe(1);
    const fed = await fake.scan({ source: 'feeder', colorMode: 'grayscale', resolution: 300, maxPages: 10 });
    expect(fed.ok && fed.pages.length).toBe(2);
    expect(
      await fake.scan({ source: 'feeder', colorMode: 'grayscale', resolution: 300, maxPages: 10 }),
    ).toMatchObject({ ok: false, error: { kind: 'feeder-empty' } });
    expect(fake.requests.map((r) => r.source)).toEqual(['flatbed', 'feeder', 'feeder']);
  });

  it('keeps pages before a scripted jam and reports the status', async () => {
    const fake = createFakeScanner({ initialFeederPages: 0 });
    const png = testPicture('Grid');
    fake.feedPages([png, png, png]);
    fake.failAfter(2, 'jam');
    const r = await fake.scan({ source: 'feeder', colorMode: 'color', resolution: 150, maxPages: 10 });
    expect(r).toMatchObject({ ok: false, error: { kind: 'jam' } });
    if (!r.ok) expect(r.pagesBeforeFault.map((p) => p.mime)).toEqual(['image/png', 'image/png']);
    expect(await fake.status()).toEqual({ state: 'jam' });
    fake.setAdfState('loaded');
    expect(await fake.status()).toEqual({ state: 'ready', feeder: 'loaded' });
    fake.setUnavailable(true);
    expect(await fake.status()).toMatchObject({ state: 'offline' });
    expect(
      await fake.scan({ source: 'flatbed', colorMode: 'color', resolution: 150, maxPages: 1 }),
    ).toMatchObject({ ok: false, error: { kind: 'device-gone' } });
  });

  it('serves what lies on the glass', async () => {
    const fake = createFakeScanner();
    const jpeg = testPicture('Grid', { format: 'jpeg' });
    fake.setPlatenPage(jpeg);
    const r = await fake.scan({ source: 'flatbed', colorMode: 'color', resolution: 150, maxPages: 1 });
    expect(r.ok && r.pages[0]!.data.equals(jpeg)).toBe(true);
  });
});
