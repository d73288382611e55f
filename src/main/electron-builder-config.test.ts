/**
 * electron-builder.yml is checked against electron-builder's own JSON schema (draft-07, shipped as
 * app-builder-lib/scheme.json), then for the kiosk's requirements: targets and architectures, NSIS
 * fleet-install options, native addons unpacked, every fuse, and the Linux scripts and units.
 */
import { Ajv, type ErrorObject } from 'ajv';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const require = createRequire(import.meta.url);
const schemaPath = require.resolve('app-builder-lib/scheme.json');
const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as { $schema?: string };

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
const validate = ajv.compile(schema);

type Config = Record<string, unknown>;
const loadConfig = (): Config =>
  parseYaml(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Config;
const describeErrors = (errors: ErrorObject[] | null | undefined): string =>
  (errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`).join('\n');

interface TargetEntry {
  target: string;
  arch?: string | string[];
}

function targetsOf(platform: unknown): TargetEntry[] {
  const target = (platform as { target?: unknown } | undefined)?.target;
  const list = Array.isArray(target) ? target : [target];
  return list.map((t) => (typeof t === 'string' ? { target: t } : (t as TargetEntry)));
}

describe('electron-builder.yml', () => {
  it('uses the draft the validator implements', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
  });

  it("is valid against electron-builder's schema", () => {
    const ok = validate(loadConfig());
    expect(describeErrors(validate.errors)).toBe('');
    expect(ok).toBe(true);
  });

  it.each([
    ['nsis.oneClick as a string', (c: Config) => ((c.nsis as Config).oneClick = 'no')],
    ['an unknown top-level key', (c: Config) => (c.kioskMode = true)],
    ['an unknown fuse', (c: Config) => ((c.electronFuses as Config).runAsRoot = false)],
    ['an unknown architecture', (c: Config) => (targetsOf(c.linux)[0]!.arch = ['sparc'])],
  ])('the schema check rejects a copy with %s', (_label, breakIt) => {
    const broken = loadConfig();
    breakIt(broken);
    expect(validate(broken)).toBe(false);
  });

  it('names the app and its output', () => {
    const c = loadConfig();
    expect(c.appId).toBe('cn.gov.zizhu.kiosk');
    expect(c.productName).toBe('Zizhu Kiosk');
    expect((c.directories as Config).output).toBe('release');
  });

  it('packages the build output, the resources and package.json, leaving node_modules to electron-builder', () => {
    const files = loadConfig().files as string[];
    expect(files).toEqual(expect.arrayContaining(['package.json', 'dist/**', 'resources/**']));
    expect(files.some((f) => f.includes('node_modules'))).toBe(false);
  });

  it('unpacks native addons from the asar', () => {
    expect(loadConfig().asarUnpack).toEqual(expect.arrayContaining(['**/*.node']));
  });

  it('builds deb and AppImage for x64 and arm64, and a per-machine NSIS installer', () => {
    const c = loadConfig();
    const linux = targetsOf(c.linux);
    for (const name of ['deb', 'AppImage']) {
      const entry = linux.find((t) => t.target === name);
      expect(entry, name).toBeDefined();
      expect(entry?.arch).toEqual(expect.arrayContaining(['x64', 'arm64']));
    }
    expect(targetsOf(c.win).map((t) => t.target)).toContain('nsis');
    expect(c.nsis).toMatchObject({
      oneClick: false,
      perMachine: true,
      allowToChangeInstallationDirectory: false,
    });
    expect((c.linux as Config).category).toEqual(expect.any(String));
    expect((c.linux as Config).maintainer).toEqual(expect.any(String));
  });

  it('sets every fuse as the kiosk requires', () => {
    expect(loadConfig().electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('rebuilds native modules only inside packaging', () => {
    const c = loadConfig();
    expect(c.npmRebuild).toBe(true);
    expect(c.buildDependenciesFromSource).toBe(false);
  });

  it('ships the systemd unit and the autostart entry as resources', () => {
    const extra = (loadConfig().linux as Config).extraResources as {
      from: string;
      to: string;
      filter: string[];
    }[];
    expect(extra).toContainEqual({
      from: 'build/linux',
      to: 'linux',
      filter: ['zizhu-kiosk.service', 'zizhu-kiosk.desktop'],
    });
  });
});

describe('Linux package scripts and units', () => {
  const deb = loadConfig().deb as { afterInstall: string; afterRemove: string };
  const scripts = [deb.afterInstall, deb.afterRemove].map((p) => join(root, p));

  it.each(scripts)('%s uses only the macros electron-builder defines for it', (path) => {
    // electron-builder substitutes /\${([a-zA-Z]+)}/ and aborts on any name it does not know.
    const macros = [...readFileSync(path, 'utf8').matchAll(/\$\{([a-zA-Z]+)\}/g)].map((m) => m[1]);
    expect(macros.length).toBeGreaterThan(0);
    for (const m of macros) expect(['executable', 'sanitizedProductName']).toContain(m);
  });

  it.each(scripts)('%s is valid bash', (path) => {
    expect(() => execFileSync('bash', ['-n', path])).not.toThrow();
  });

  it('after-install makes chrome-sandbox a root-owned setuid helper', () => {
    const text = readFileSync(scripts[0]!, 'utf8');
    expect(text).toMatch(/^chown root:root "\$APP_DIR\/chrome-sandbox"$/m);
    expect(text).toMatch(/^chmod 4755 "\$APP_DIR\/chrome-sandbox"$/m);
    const code = text.split('\n').filter((line) => !line.trimStart().startsWith('#'));
    expect(code.some((line) => line.includes('--no-sandbox'))).toBe(false);
  });

  it('the systemd unit restarts the kiosk always and never gives up', () => {
    const unit = readFileSync(join(root, 'build/linux/zizhu-kiosk.service'), 'utf8');
    expect(unit).toMatch(/^Restart=always$/m);
    expect(unit).toMatch(/^StartLimitIntervalSec=0$/m);
    expect(unit).toMatch(/^ExecStart=\/usr\/bin\/zizhu-kiosk$/m);
    expect(unit).toMatch(/^WantedBy=graphical-session\.target$/m);
  });

  it('the autostart entry starts the same binary', () => {
    const desktop = readFileSync(join(root, 'build/linux/zizhu-kiosk.desktop'), 'utf8');
    expect(desktop.split('\n')[0]).toBe('[Desktop Entry]');
    expect(desktop).toMatch(/^Type=Application$/m);
    expect(desktop).toMatch(/^Exec=\/usr\/bin\/zizhu-kiosk$/m);
    expect(desktop).toMatch(/^X-GNOME-Autostart-enabled=true$/m);
  });
});
