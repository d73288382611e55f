import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_PORT, defaultDataDir, loadKioskConfig } from './config.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-cfg-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('loadKioskConfig', () => {
  it('gives a fresh machine simulators, the default port and a per-user data dir', () => {
    const r = loadKioskConfig({ argv: [], env: { HOME: '/home/resident' } });
    if (!r.ok) throw new Error(r.error);
    expect(r.config.port).toBe(DEFAULT_PORT);
    expect(r.config.mode).toBe('development');
    expect(r.config.dataDir).toBe('/home/resident/.local/share/zizhu-kiosk');
    expect(Object.values(r.config.devices).every((uri) => uri === 'sim:')).toBe(true);
    expect(r.config.source).toBeNull();
  });

  it('uses XDG_DATA_HOME and LOCALAPPDATA', () => {
    expect(defaultDataDir({ XDG_DATA_HOME: '/data' }, 'linux')).toBe('/data/zizhu-kiosk');
    expect(defaultDataDir({ LOCALAPPDATA: 'C:\\Users\\k\\AppData\\Local' }, 'win32')).toContain(
      'zizhu-kiosk',
    );
  });

  it('reads a YAML file named by --config and applies environment overrides on top', () => {
    const file = join(dir, 'kiosk.yml');
    writeFileSync(
      file,
      'port: 9100\nkiosk:\n  name: 沣东新城 1号机\ndevices:\n  printer: tcp://127.0.0.1:9100\n',
    );
    const r = loadKioskConfig({
      argv: ['node', 'x', '--config', file],
      env: {
        KIOSK_PORT: '0',
        KIOSK_DATA_DIR: join(dir, 'data'),
        KIOSK_IDCARD: 'serial:/dev/ttyUSB0?baud=115200',
      },
    });
    if (!r.ok) throw new Error(r.error);
    expect(r.config.port).toBe(0);
    expect(r.config.kiosk.name).toBe('沣东新城 1号机');
    expect(r.config.devices.printer).toBe('tcp://127.0.0.1:9100');
    expect(r.config.devices.idcard).toBe('serial:/dev/ttyUSB0?baud=115200');
    expect(r.config.devices.scanner).toBe('sim:');
    expect(r.config.dataDir).toBe(join(dir, 'data'));
    expect(r.config.source).toBe(file);
  });

  it('resolves queue.hoursFile beside the configuration file, and refuses one that is missing', () => {
    const file = join(dir, 'kiosk.yml');
    writeFileSync(join(dir, 'hours.json'), '{}');
    writeFileSync(file, 'queue:\n  hoursFile: hours.json\n');
    const r = loadKioskConfig({ argv: ['node', 'x', '--config', file], env: { HOME: dir } });
    if (!r.ok) throw new Error(r.error);
    expect(r.config.queue.hoursFile).toBe(join(dir, 'hours.json'));
    const env = loadKioskConfig({ argv: [], env: { HOME: dir, KIOSK_QUEUE_HOURS: join(dir, 'nope.json') } });
    expect(env.ok).toBe(false);
    if (!env.ok) expect(env.error).toContain('queue.hoursFile: file not found');
  });

  it('reads KIOSK_CONFIG as JSON', () => {
    const file = join(dir, 'kiosk.json');
    writeFileSync(file, JSON.stringify({ mode: 'production', kiosk: { jurisdiction: '610102' } }));
    const r = loadKioskConfig({ argv: [], env: { KIOSK_CONFIG: file, HOME: dir } });
    if (!r.ok) throw new Error(r.error);
    expect(r.config.mode).toBe('production');
    expect(r.config.kiosk.jurisdiction).toBe('610102');
  });

  it.each([
    [
      'a missing file',
      () => loadKioskConfig({ argv: ['--config', join(dir, 'nope.yml')], env: {} }),
      /not found/,
    ],
    [
      'a file that is not YAML',
      () => {
        writeFileSync(join(dir, 'bad.yml'), 'port: [1,\n');
        return loadKioskConfig({ argv: ['--config', join(dir, 'bad.yml')], env: {} });
      },
      /not valid/,
    ],
    [
      'an unknown key',
      () => {
        writeFileSync(join(dir, 'k.json'), '{"prot": 1}');
        return loadKioskConfig({ argv: ['--config', join(dir, 'k.json')], env: {} });
      },
      /prot/,
    ],
    [
      'a port out of range',
      () => {
        writeFileSync(join(dir, 'k.json'), '{"port": 70000}');
        return loadKioskConfig({ argv: ['--config', join(dir, 'k.json')], env: {} });
      },
      /port/,
    ],
    ['a bad KIOSK_PORT', () => loadKioskConfig({ argv: [], env: { KIOSK_PORT: 'eighty' } }), /KIOSK_PORT/],
    [
      'a bad device address',
      () => loadKioskConfig({ argv: [], env: { KIOSK_PRINTER: 'lpt1' } }),
      /KIOSK_PRINTER/,
    ],
  ])('reports %s as an error value', (_name, run, message) => {
    const r = run();
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });
});
