import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildCli } from './main.js';

let dir: string;
let out: string[];
let err: string[];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-cli-'));
  out = [];
  err = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const cli = (env: NodeJS.ProcessEnv = { KIOSK_DATA_DIR: dir }) =>
  buildCli({ out: (l) => out.push(l), err: (l) => err.push(l) }, env);

describe('cli', () => {
  it('shows the effective configuration as JSON', async () => {
    expect(
      await cli({ KIOSK_DATA_DIR: dir, KIOSK_PRINTER: 'tcp://127.0.0.1:9100' }).run(['config', '--json']),
    ).toBe(0);
    const c = JSON.parse(out.join('\n')) as { dataDir: string; devices: { printer: string } };
    expect(c.dataDir).toBe(dir);
    expect(c.devices.printer).toBe('tcp://127.0.0.1:9100');
  });

  it('exits 2 with a message on a bad configuration', async () => {
    expect(await cli({ KIOSK_PORT: 'x' }).run(['config'])).toBe(2);
    expect(err.join('\n')).toMatch(/KIOSK_PORT/);
  });

  it('migrates and reports the database', async () => {
    expect(await cli().run(['db', 'migrate'])).toBe(0);
    expect(out.join('\n')).toMatch(/schema 0 → \d/);
    out.length = 0;
    expect(await cli().run(['db', 'status', '--json'])).toBe(0);
    const s = JSON.parse(out.join('\n')) as {
      schemaVersion: number;
      latestVersion: number;
      counts: { applications: number };
    };
    expect(s.schemaVersion).toBe(s.latestVersion);
    expect(s.counts.applications).toBe(0);
  });

  it('validates the shipped catalog and refuses a broken one', async () => {
    expect(await cli().run(['catalog', 'validate', '--json'])).toBe(0);
    const summary = JSON.parse(out.join('\n')) as { ok: boolean; items: number };
    expect(summary.ok).toBe(true);
    expect(summary.items).toBeGreaterThanOrEqual(30);
    mkdirSync(join(dir, 'bad'));
    writeFileSync(join(dir, 'bad', 'manifest.json'), '{"version": 1}');
    expect(await cli().run(['catalog', 'validate', join(dir, 'bad')])).toBe(1);
    expect(err.join('\n')).toMatch(/cannot read catalog seed|invalid/);
  });

  it('exits 2 on an unknown command', async () => {
    expect(await cli().run(['frobnicate'])).toBe(2);
  });
});

describe('cli device commands (against the simulators and the SANE test backend)', () => {
  it('printer status and test page over the simulated printer', async () => {
    expect(await cli().run(['printer', 'status', '--uri', 'sim:', '--json'])).toBe(0);
    expect(JSON.parse(out.join(''))).toMatchObject({ status: 'ready' });
    out.length = 0;
    expect(await cli().run(['printer', 'status', '--uri', 'sim:?status=paper-out', '--json'])).toBe(0);
    expect(JSON.parse(out.join(''))).toMatchObject({ status: 'paper-out' });
    out.length = 0;
    expect(await cli().run(['printer', 'test', '--uri', 'sim:?status=cover-open', '--json'])).toBe(1);
    expect(JSON.parse(out.join(''))).toMatchObject({ ok: false, outcome: 'refused' });
    out.length = 0;
    expect(await cli().run(['printer', 'test', '--uri', 'sim:', '--json'])).toBe(0);
    expect(JSON.parse(out.join(''))).toMatchObject({ ok: true, outcome: 'printed' });
  }, 30_000);

  it('idcard read prints the documented JSON fields', async () => {
    expect(
      await cli().run([
        'idcard',
        'read',
        '--uri',
        'sim:?card=resident&timing=fast',
        '--timeout',
        '8000',
        '--json',
      ]),
    ).toBe(0);
    const card = JSON.parse(out.join('\n')) as Record<string, string>;
    for (const k of [
      'cardType',
      'name',
      'sex',
      'nation',
      'birthDate',
      'address',
      'idNumber',
      'authority',
      'validFrom',
      'validTo',
    ]) {
      expect(card).toHaveProperty(k);
    }
    expect(card.birthDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    out.length = 0;
    expect(
      await cli().run(['idcard', 'read', '--uri', 'sim:?timing=fast', '--timeout', '800', '--json']),
    ).toBe(1);
    expect(JSON.parse(out.join(''))).toMatchObject({ ok: false, kind: 'no-card' });
  }, 30_000);

  it('ticket issue takes and prints a number on the configured ticket printer', async () => {
    expect(await cli().run(['ticket', 'issue', '--category', 'ylsb', '--json'])).toBe(0);
    expect(JSON.parse(out.join(''))).toMatchObject({
      ok: true,
      ticket: { number: 'E900', printState: 'printed' },
    });
    out.length = 0;
    expect(
      await cli({ KIOSK_DATA_DIR: dir, KIOSK_TICKET_PRINTER: 'sim:?status=paper-out' }).run([
        'ticket',
        'issue',
        '--category',
        'ylsb',
        '--json',
      ]),
    ).toBe(1);
    expect(JSON.parse(out.join(''))).toMatchObject({
      ok: false,
      error: { kind: 'printer-unavailable', status: 'paper-out' },
    });
    expect(await cli().run(['ticket', 'issue', '--category', 'nope'])).toBe(1);
  }, 30_000);

  it('scanner scan writes a JPEG from the SANE test backend', async () => {
    const file = join(dir, 'page.jpg');
    expect(
      await cli().run([
        'scanner',
        'scan',
        '--uri',
        'sane:test',
        '--out',
        file,
        '--resolution',
        '75',
        '--json',
      ]),
    ).toBe(0);
    const r = JSON.parse(out.join('')) as { ok: boolean; sha256: string };
    expect(r.ok).toBe(true);
    expect(r.sha256).toMatch(/^[0-9a-f]{64}$/);
    const { readFileSync } = await import('node:fs');
    expect([...readFileSync(file).subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
  }, 30_000);

  it('devices list reports every configured device', async () => {
    expect(
      await cli({
        KIOSK_DATA_DIR: dir,
        KIOSK_SCANNER: 'none',
        KIOSK_IDCARD: 'none',
        KIOSK_CODE_READER: 'none',
      }).run(['devices', 'list', '--json', '--wait', '5000']),
    ).toBe(0);
    const r = JSON.parse(out.join('\n')) as {
      devices: { kind: string; state: string }[];
      serialPorts: unknown[];
    };
    expect(r.devices.map((d) => d.kind)).toEqual([
      'idcard',
      'printer',
      'ticketPrinter',
      'scanner',
      'codeReader',
    ]);
    expect(r.devices.find((d) => d.kind === 'scanner')?.state).toBe('not-configured');
    expect(r.devices.find((d) => d.kind === 'printer')?.state).toBe('simulated');
    expect(Array.isArray(r.serialPorts)).toBe(true);
  }, 30_000);

  it('tech set-pin stores a PIN and refuses a short one', async () => {
    expect(await cli().run(['tech', 'set-pin', '--pin', '12'])).toBe(1);
    expect(await cli().run(['tech', 'set-pin', '--pin', '24681357'])).toBe(0);
    expect(out.join('')).toMatch(/PIN set/);
  });
});
