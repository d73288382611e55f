/**
 * Shipped reference data the hall reads at start-up: the holiday calendar (working days with 调休,
 * for 承诺时限 and 电子监察) and the 好差评 content items (to show reason and item codes in words).
 * Both live in the repository's resources/ folder, found by walking up from this module so the hall
 * runs the same from src/ (tsx) and from dist/.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEvaluationItems } from '../shared/evaluation-schemas.js';
import type { EvaluationItems } from '../shared/evaluation.js';
import { parseHolidayCalendar, type HolidayCalendar } from '../shared/working-days.js';

/** The nearest ancestor folder holding `resources/<relative>`, or null. */
export function findResource(relative: string, from: string = fileURLToPath(import.meta.url)): string | null {
  let dir = dirname(from);
  for (;;) {
    const candidate = join(dir, 'resources', relative);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

export type Loaded<T> = { ok: true; value: T } | { ok: false; error: string };

function readJson(path: string): Loaded<unknown> {
  try {
    return { ok: true, value: JSON.parse(readFileSync(path, 'utf8')) as unknown };
  } catch (e) {
    return { ok: false, error: `${path}: ${(e as Error).message}` };
  }
}

/** The calendar at `path`, or the shipped resources/calendar/cn-holidays.json. */
export function loadHallCalendar(path?: string): Loaded<HolidayCalendar> {
  const file = path ?? findResource(join('calendar', 'cn-holidays.json'));
  if (file === null) return { ok: false, error: 'resources/calendar/cn-holidays.json not found' };
  const json = readJson(file);
  if (!json.ok) return json;
  const parsed = parseHolidayCalendar(json.value);
  return parsed.ok ? parsed : { ok: false, error: `${file}: ${parsed.error}` };
}

/** The shipped 好差评 content items, or null when absent (codes are then shown as they are). */
export function loadHallEvaluationItems(): EvaluationItems | null {
  const file = findResource(join('evaluation', 'items.json'));
  if (file === null) return null;
  const json = readJson(file);
  if (!json.ok) return null;
  const parsed = parseEvaluationItems(json.value);
  return parsed.ok ? parsed.value : null;
}
