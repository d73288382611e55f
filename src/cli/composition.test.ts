/**
 * The CLI's composition: the README's command table lists exactly the commands the program has,
 * and a command loads only its own stack (`config` loads no store, device, hall or sync module).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildCli } from './main.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** Leaf commands as typed, e.g. "db status", "hall publish-catalog". */
function leafCommands(cmd: Command, prefix: string[] = []): string[] {
  return cmd.commands.flatMap((c) => {
    const path = [...prefix, c.name()];
    return c.commands.length > 0 ? leafCommands(c, path) : [path.join(' ')];
  });
}

/** Commands named in the README's "Command line" table ("`db status` / `db migrate`" names two). */
function readmeCommands(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.split('## Command line')[1]?.split('\n## ')[0] ?? '';
  return section
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .flatMap((l) => [...(l.split('|')[1] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? ''))
    .map((usage) =>
      usage
        .split(' ')
        .filter((w) => /^[a-z][a-z0-9-]*$/.test(w))
        .join(' '),
    );
}

describe('cli composition', () => {
  it('has exactly the commands the README lists', () => {
    const { program } = buildCli({ out: () => undefined, err: () => undefined }, {});
    expect(new Set(readmeCommands())).toEqual(new Set(leafCommands(program)));
  });

  it('loads neither the store nor the device, hall or sync stack for `config`', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zizhu-cli-load-'));
    try {
      // A resolve hook that reports every module the process loads, on stderr.
      const hook = join(dir, 'hook.mjs');
      writeFileSync(
        hook,
        'export async function resolve(s, c, next) { const r = await next(s, c); process.stderr.write(`LOADED ${r.url}\\n`); return r; }\n',
      );
      const register = `data:text/javascript,import{register}from"node:module";register(${JSON.stringify(pathToFileURL(hook).href)})`;
      const r = spawnSync(
        process.execPath,
        ['--import', 'tsx', '--import', register, join(ROOT, 'src', 'cli', 'main.ts'), 'config', '--json'],
        { cwd: ROOT, env: { ...process.env, KIOSK_DATA_DIR: dir }, encoding: 'utf8' },
      );
      expect(r.status).toBe(0);
      expect((JSON.parse(r.stdout) as { dataDir: string }).dataDir).toBe(dir);
      const loaded = [...r.stderr.matchAll(/^LOADED (.*)$/gm)].map((m) => m[1] ?? '');
      expect(loaded.some((u) => u.endsWith('/src/backend/config.ts'))).toBe(true); // the hook saw it
      const heavy = loaded.filter(
        (u) =>
          /\/src\/(devices|hall|sync)\//.test(u) ||
          /\/src\/backend\/(index|app|server|store\/|services\/)/.test(u) ||
          /\/node_modules\/(pdfkit|sharp|@resvg|serialport|qrcode|fastify|better-sqlite3|pinyin-pro|pino)\//.test(
            u,
          ),
      );
      expect(heavy).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
