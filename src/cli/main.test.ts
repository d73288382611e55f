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
    expect(await cli({ KIOSK_DATA_DIR: dir, KIOSK_PRINTER: 'tcp://127.0.0.1:9100' }).run(['config', '--json'])).toBe(0);
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
    const s = JSON.parse(out.join('\n')) as { schemaVersion: number; latestVersion: number; counts: { applications: number } };
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
