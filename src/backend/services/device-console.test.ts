import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDeviceManager } from '../../devices/index.js';
import { createLogger } from '../logger.js';
import { openDatabase, type Db } from '../store/db.js';
import { maskIdNumber, maskName } from '../../shared/mask.js';
import { createDeviceConsole } from './device-console.js';
import { createQueueService } from './queue.js';
import { seedCalendar, seedHours } from '../testing/hours.js';

let dir: string;
let db: Db;
const logger = createLogger('silent');
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-console-'));
  const r = openDatabase(join(dir, 'k.db'));
  if (!r.ok) throw new Error(r.message);
  db = r.db;
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function makeConsole(mode: 'production' | 'development' = 'development') {
  const devices = createDeviceManager({
    uris: { idcard: 'none', printer: 'none', ticketPrinter: 'none', scanner: 'none', codeReader: 'none' },
    mode,
    logger,
  });
  const clock = () => new Date('2026-11-26T02:00:00Z');
  const queue = createQueueService({
    db,
    clock,
    logger,
    config: {
      offlineRangeStart: 900,
      offlineRangeEnd: 999,
      timeZone: 'Asia/Shanghai',
      progressUrl: 'https://hall.example/zwfw',
    },
    hallName: () => ({ zh: 'a', en: 'b' }),
    ticketPrinter: () => null,
    hours: seedHours,
    calendar: seedCalendar,
  });
  return {
    devices,
    console: createDeviceConsole({ db, devices, queue, logger, clock, dataDir: dir, mode, kioskName: 'k' }),
  };
}

describe('device console', () => {
  it('masks names and ID numbers', () => {
    expect(maskName('张三丰')).toBe('张*丰');
    expect(maskName('李四')).toBe('李*');
    expect(maskName('𠮷田花子')).toBe('𠮷**子');
    expect(maskIdNumber('61010219900101123X')).toBe('6101**********123X');
  });

  it("reports the free space of the data directory's file system", () => {
    const { console: c } = makeConsole();
    const s = c.storage();
    if (!s.ok) throw new Error(s.message);
    expect(s.totalBytes).toBeGreaterThan(0);
    expect(s.freeBytes).toBeGreaterThanOrEqual(0);
    expect(s.freeBytes).toBeLessThanOrEqual(s.totalBytes);
  });

  it('stores a document-camera frame through the page pipeline, content-addressed', async () => {
    const { console: c } = makeConsole();
    const page = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#ffffff' } })
      .composite([
        {
          input: Buffer.from(
            '<svg width="800" height="600"><rect x="100" y="100" width="600" height="60" fill="#000"/><rect x="100" y="300" width="400" height="40" fill="#333"/></svg>',
          ),
        },
      ])
      .jpeg()
      .toBuffer();
    const r = await c.cameraTest(`data:image/jpeg;base64,${page.toString('base64')}`);
    expect(r).toMatchObject({ ok: true, value: { blank: false } });
    if (!r.ok || !r.value.page) throw new Error('not stored');
    expect(r.value.page.sha256).toMatch(/^[0-9a-f]{64}$/);
    const white = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    expect(await c.cameraTest(`data:image/png;base64,${white.toString('base64')}`)).toMatchObject({
      ok: true,
      value: { blank: true, page: null },
    });
    expect(await c.cameraTest('data:text/plain;base64,aGk=')).toMatchObject({
      ok: false,
      error: { kind: 'image' },
    });
    expect(
      await c.cameraTest(`data:image/jpeg;base64,${Buffer.from('not a jpeg').toString('base64')}`),
    ).toMatchObject({ ok: false, error: { kind: 'image' } });
  });

  it('validates and saves a device address, refusing simulators in production', async () => {
    const dev = makeConsole('development');
    expect(await dev.console.setDevice('printer', 'lpt1')).toMatchObject({
      ok: false,
      error: { kind: 'invalid-address' },
    });
    expect(await dev.console.setDevice('printer', 'none')).toEqual({ ok: true, value: null });
    expect(db.prepare("SELECT uri FROM device_config WHERE kind = 'printer'").pluck().get()).toBe('none');
    expect(dev.devices.uri('printer')).toBe('none');
    const prod = makeConsole('production');
    const refused = await prod.console.setDevice('scanner', 'sim:');
    expect(refused).toMatchObject({ ok: false, error: { kind: 'simulator-refused' } });
    if (!refused.ok) expect(refused.error.message).toMatch(/production/);
    await dev.devices.close();
    await prod.devices.close();
  });
});
