/**
 * Columns the hall works out from a sealed payload when it stores it (hall migration 20,
 * docs/hall-store.md): before it, SQLite triggers did so with `zk_open` — migration 14's
 * `case_keys_at_ingest`, migration 19's `evaluations_given_at_ingest` — which PostgreSQL cannot
 * (the key never reaches the database server). The store works them out from the plain payload in
 * JavaScript instead, on both engines, exactly as those triggers did (their SQLite functions
 * mirrored: `trim` removes spaces only, `upper` ASCII letters only, `strftime`'s time strings), so
 * rows stored before and after migration 20 agree.
 */

/** SQLite's `trim(x)`: spaces only, at both ends. */
const sqliteTrim = (s: string): string => s.replace(/^ +| +$/g, '');
/** SQLite's `upper(x)`: ASCII letters only. */
const sqliteUpper = (s: string): string => s.replace(/[a-z]+/g, (m) => m.toUpperCase());
const MOBILE = /^1[3-9][0-9]{9}$/;

/**
 * What `trim(json_extract(j, path))` sees: text as it is, a number or boolean as SQLite writes it
 * (integers, true = 1), an object or array as its JSON text; null for NULL (absent, JSON null).
 */
function sqliteText(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'object' && v !== null) return JSON.stringify(v);
  return null;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const at = (v: unknown, ...path: string[]): unknown => {
  let x = v;
  for (const k of path) x = isObject(x) ? x[k] : undefined;
  return x;
};

export type CaseKeyKind = 'receipt' | 'name' | 'id' | 'phone';

/**
 * The keys a case is found by (migration 14): 受理编号, the applicant's name, ID number and the
 * delivery phone — each when not empty after normalising (a number counts as its text, as it did
 * in SQL; the contract makes them strings) — and every string value of `form`
 * (one level) that is a mainland mobile number. Plain values: the caller hashes them. Duplicates
 * are left to the primary key.
 */
export function caseKeysOf(payload: string): { kind: CaseKeyKind; value: string }[] {
  let j: unknown;
  try {
    j = JSON.parse(payload) as unknown;
  } catch {
    return [];
  }
  const keys: { kind: CaseKeyKind; value: string }[] = [];
  const fixed: [CaseKeyKind, unknown, boolean][] = [
    ['receipt', at(j, 'receiptNo'), true],
    ['name', at(j, 'applicant', 'name'), false],
    ['id', at(j, 'applicant', 'idNumber'), true],
    ['phone', at(j, 'delivery', 'phone'), false],
  ];
  for (const [kind, raw, upper] of fixed) {
    const text = sqliteText(raw);
    if (text === null) continue;
    const value = upper ? sqliteUpper(sqliteTrim(text)) : sqliteTrim(text);
    if (value !== '') keys.push({ kind, value });
  }
  const form = at(j, 'form');
  if (typeof form === 'object' && form !== null)
    for (const v of Object.values(form as Record<string, unknown>)) {
      if (typeof v !== 'string') continue;
      const value = sqliteTrim(v);
      if (MOBILE.test(value)) keys.push({ kind: 'phone', value });
    }
  return keys;
}

const TIME_STRING =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(?:(Z)|([+-])(\d{2}):(\d{2}))?$/i;

/**
 * SQLite's `strftime('%Y-%m-%dT%H:%M:%fZ', text)` for the time strings a payload carries
 * (`YYYY-MM-DD[ T]HH:MM[:SS[.fff]]` with an optional `Z` or `±HH:MM`): the UTC instant, or null
 * where SQLite would give NULL.
 */
export function sqliteInstant(text: string): string | null {
  const m = TIME_STRING.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac, z, sign, oh, om] = m;
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 59) return null;
  // SQLite reads the seconds as a double and keeps whole milliseconds of it (cut, not rounded).
  const seconds = frac === undefined ? second : second + Number(frac) / 10 ** frac.length;
  let t = Date.UTC(Number(y), month - 1, day, hour, minute) + Math.trunc(seconds * 1000);
  if (z === undefined && sign !== undefined) {
    const offset = (Number(oh) * 60 + Number(om)) * 60_000;
    t += sign === '+' ? -offset : offset;
  }
  const date = new Date(t);
  if (Number.isNaN(date.getTime())) return null;
  const iso = date.toISOString();
  // Years outside 0000–9999 are not SQLite's.
  return /^\d{4}-/.test(iso) ? iso : null;
}

/**
 * When an evaluation was given (migration 19): its payload's `createdAt`, else the receipt time,
 * as a UTC instant; the receipt time as it is when neither reads as one.
 */
export function givenAtOf(payload: string, receivedAt: string): string {
  let createdAt: unknown;
  try {
    createdAt = at(JSON.parse(payload) as unknown, 'createdAt');
  } catch {
    createdAt = undefined;
  }
  return (
    (typeof createdAt === 'string' ? sqliteInstant(createdAt) : null) ??
    sqliteInstant(receivedAt) ??
    receivedAt
  );
}
