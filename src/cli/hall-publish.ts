/**
 * Operator side of the hall-owned document streams (docs/sync-protocol.md 5 "Streams"): reads a
 * catalog seed directory, a holiday calendar, evaluation content items, kiosk settings or the windows'
 * opening hours, validates
 * them exactly as a kiosk will (a document the kiosk would refuse is never published), and appends
 * it to the hall's change log for every kiosk (`kioskId` null: a broadcast change; a kiosk enrolled
 * later reads it from the log or, once purged, from the snapshot).
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { readSeedCatalog } from '../backend/index.js';
import type { HallService } from '../hall/index.js';
import { parseEvaluationItems } from '../shared/evaluation-schemas.js';
import { parseOpeningHours } from '../shared/opening-hours.js';
import { parseHolidayCalendar } from '../shared/working-days.js';
import { CURRENT_KEY, kioskSettingsPublishSchema } from '../sync/index.js';

export const PUBLISHABLE = [
  'catalog',
  'calendar',
  'evaluation-items',
  'kiosk-config',
  'window-hours',
] as const;
export type Publishable = (typeof PUBLISHABLE)[number];

export type ReadDocument = { ok: true; data: unknown; label: string | null } | { ok: false; error: string };

function readJsonOrYaml(path: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    const text = readFileSync(path, 'utf8');
    return {
      ok: true,
      value: /\.ya?ml$/i.test(path) ? (parseYaml(text) as unknown) : (JSON.parse(text) as unknown),
    };
  } catch (e) {
    return { ok: false, error: `cannot read ${path}: ${(e as Error).message}` };
  }
}

/** Reads and validates one document to publish; `path` is a directory for the catalog, else a file. */
export function readPublishable(stream: Publishable, path: string): ReadDocument {
  if (stream === 'catalog') {
    const c = readSeedCatalog(path);
    return c.ok ? { ok: true, data: c.catalog, label: c.catalog.version } : c;
  }
  const raw = readJsonOrYaml(path);
  if (!raw.ok) return raw;
  switch (stream) {
    case 'calendar': {
      const p = parseHolidayCalendar(raw.value);
      return p.ok
        ? { ok: true, data: p.value, label: p.value.version }
        : { ok: false, error: `${path} is not a valid holiday calendar: ${p.error}` };
    }
    case 'evaluation-items': {
      const p = parseEvaluationItems(raw.value);
      return p.ok
        ? { ok: true, data: p.value, label: p.value.version }
        : { ok: false, error: `${path} is not a valid evaluation items document: ${p.error}` };
    }
    case 'kiosk-config': {
      const p = kioskSettingsPublishSchema.safeParse(raw.value);
      if (!p.success) {
        const why = p.error.issues
          .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
          .join('; ');
        return {
          ok: false,
          error: `${path} is not valid kiosk settings (hallName, hallNameEn, hallPhone, idleSeconds, countdownSeconds): ${why}`,
        };
      }
      return { ok: true, data: p.data, label: null };
    }
    case 'window-hours': {
      const p = parseOpeningHours(raw.value);
      return p.ok
        ? { ok: true, data: p.value, label: p.value.version }
        : { ok: false, error: `${path} is not valid window hours: ${p.error}` };
    }
    default: {
      const never: never = stream;
      return { ok: false, error: `unknown stream ${String(never)}` };
    }
  }
}

/** Appends the document as `<stream>/current` for every kiosk. */
export async function publishDocument(
  service: Pick<HallService, 'appendChange'>,
  stream: Publishable,
  data: unknown,
) {
  const c = await service.appendChange({ kioskId: null, stream, key: CURRENT_KEY, op: 'put', data });
  return { stream, key: c.key, version: c.version, position: c.position };
}
