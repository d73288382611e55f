/**
 * `hall publish-*`: documents are validated as a kiosk validates them before they enter the hall's
 * change log; a kiosk enrolled afterwards gets and applies them with `sync enroll` + `sync now`.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify as stringifyYaml } from 'yaml';
import { openDatabase, resourcesDir } from '../backend/index.js';
import { startHallServer, type HallServer } from '../hall/index.js';
import { buildCli } from './main.js';

let dir: string;
let out: string[];
let err: string[];
let hall: HallServer | null = null;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-cli-publish-'));
  out = [];
  err = [];
});
afterEach(async () => {
  await hall?.close();
  hall = null;
  rmSync(dir, { recursive: true, force: true });
});

const env = () => ({ KIOSK_DATA_DIR: join(dir, 'kiosk'), HALL_DATA_DIR: join(dir, 'hall') });
const cli = () => buildCli({ out: (l) => out.push(l), err: (l) => err.push(l) }, env());
const lastJson = <T>() => JSON.parse(out[out.length - 1] ?? 'null') as T;

describe('hall publish-* commands', () => {
  it('refuses documents a kiosk would refuse', async () => {
    const broken = join(dir, 'catalog');
    cpSync(join(resourcesDir(), 'catalog'), broken, { recursive: true });
    const bundles = JSON.parse(readFileSync(join(broken, 'bundles.json'), 'utf8')) as { items: string[] }[];
    bundles[0]?.items.push('no-such-item');
    writeFileSync(join(broken, 'bundles.json'), JSON.stringify(bundles));
    expect(await cli().run(['hall', 'publish-catalog', broken, '--json'])).toBe(1);
    expect(lastJson<{ ok: boolean; error: string }>()).toMatchObject({
      ok: false,
      error: expect.stringMatching(/unknown item no-such-item/) as unknown,
    });

    const config = join(dir, 'settings.json');
    writeFileSync(config, JSON.stringify({ hallName: '新名', devices: { printer: 'tcp://10.0.0.9:9100' } }));
    expect(await cli().run(['hall', 'publish-config', config])).toBe(1);
    expect(err.join('\n')).toMatch(/devices/);

    const calendar = join(dir, 'calendar.json');
    writeFileSync(
      calendar,
      JSON.stringify({
        version: '1',
        source: 'x',
        years: { '2026': { holidays: [], workdays: ['2026-03-11'] } },
      }),
    );
    expect(await cli().run(['hall', 'publish-calendar', calendar])).toBe(1);
    expect(err.join('\n')).toMatch(/weekday/);
    expect(await cli().run(['hall', 'publish-evaluation-items', join(dir, 'missing.json')])).toBe(1);

    // Window hours: overlapping periods, a window left out — refused with the reason, nothing published.
    const hours = JSON.parse(readFileSync(join(resourcesDir(), 'calendar', 'window-hours.json'), 'utf8')) as {
      windows: Record<string, { weekly: { days: number[]; periods: { from: string; to: string }[] }[] }>;
    };
    hours.windows.zzlb!.weekly[0]!.periods.push({ from: '11:00', to: '14:00' });
    delete hours.windows.gcbj;
    const badHours = join(dir, 'hours.json');
    writeFileSync(badHours, JSON.stringify(hours));
    expect(await cli().run(['hall', 'publish-window-hours', badHours, '--json'])).toBe(1);
    const refused = lastJson<{ ok: boolean; error: string }>();
    expect(refused.ok).toBe(false);
    expect(refused.error).toMatch(/overlaps/);
    expect(refused.error).toMatch(/no hours for window gcbj/);
    expect(err.join('\n') + out.join('\n')).not.toMatch(/published window-hours/);
  });

  it('publishes to every kiosk, including one enrolled later', async () => {
    expect(await cli().run(['hall', 'publish-catalog', join(resourcesDir(), 'catalog'), '--json'])).toBe(0);
    expect(lastJson<object>()).toMatchObject({
      ok: true,
      stream: 'catalog',
      key: 'current',
      version: 1,
      label: expect.any(String) as unknown,
    });
    expect(
      await cli().run(['hall', 'publish-calendar', join(resourcesDir(), 'calendar', 'cn-holidays.json')]),
    ).toBe(0);
    expect(out[out.length - 1]).toMatch(/^published calendar\/current version 1 \(.+\) to every kiosk$/);
    expect(
      await cli().run(['hall', 'publish-evaluation-items', join(resourcesDir(), 'evaluation', 'items.json')]),
    ).toBe(0);
    const settings = join(dir, 'settings.yaml');
    writeFileSync(settings, 'hallName: 高新区政务服务中心\nhallPhone: 029-88886666\n');
    expect(await cli().run(['hall', 'publish-config', settings, '--json'])).toBe(0);
    expect(lastJson<object>()).toMatchObject({ ok: true, stream: 'kiosk-config', version: 1 });
    // The windows' hours, as YAML (a hall's notice is often kept as YAML).
    const hoursYaml = join(dir, 'window-hours.yaml');
    const seedHours = readFileSync(join(resourcesDir(), 'calendar', 'window-hours.json'), 'utf8');
    writeFileSync(hoursYaml, stringifyYaml({ ...(JSON.parse(seedHours) as object), version: '2027.1' }));
    expect(await cli().run(['hall', 'publish-window-hours', hoursYaml])).toBe(0);
    expect(out[out.length - 1]).toBe('published window-hours/current version 1 (2027.1) to every kiosk');

    hall = await startHallServer(
      { host: '127.0.0.1', port: 0, dataDir: join(dir, 'hall') },
      { silent: true },
    );
    expect(await cli().run(['hall', 'enrollment-code', '--jurisdiction', '611100', '--json'])).toBe(0);
    const { code } = lastJson<{ code: string }>();
    expect(await cli().run(['sync', 'enroll', '--hall', hall.url, '--code', code])).toBe(0);
    expect(await cli().run(['sync', 'now', '--json'])).toBe(0);
    expect(lastJson<object>()).toMatchObject({ ok: true, pulled: 5 });

    const opened = openDatabase(join(dir, 'kiosk', 'kiosk.db'));
    if (!opened.ok) throw new Error(opened.message);
    try {
      const db = opened.db;
      expect(db.prepare('SELECT source FROM catalog_meta').pluck().get()).toBe('hall');
      expect(db.prepare('SELECT count(*) FROM service_items').pluck().get()).toBeGreaterThan(10);
      const applied = db
        .prepare("SELECT key FROM kiosk_config WHERE key LIKE 'hall-document:%' ORDER BY key")
        .pluck()
        .all();
      expect(applied).toEqual([
        'hall-document:calendar/current',
        'hall-document:catalog/current',
        'hall-document:evaluation-items/current',
        'hall-document:kiosk-config/current',
        'hall-document:window-hours/current',
      ]);
      const hoursState = db
        .prepare("SELECT value FROM kiosk_config WHERE key = 'hall-document:window-hours/current'")
        .pluck()
        .get() as string;
      expect(JSON.parse(hoursState)).toMatchObject({ version: 1, data: { version: '2027.1' } });
      expect(
        db.prepare("SELECT count(*) FROM audit_log WHERE action LIKE '%-update-failed'").pluck().get(),
      ).toBe(0);
    } finally {
      opened.db.close();
    }
  }, 30_000);
});
