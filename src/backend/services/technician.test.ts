import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../store/db.js';
import { createTechnicianAuth, DEV_DEFAULT_PIN, SESSION_MS } from './technician.js';

let db: Db;
let now = 0;
beforeEach(() => {
  const r = openDatabase(':memory:');
  if (!r.ok) throw new Error(r.message);
  db = r.db;
  now = Date.parse('2026-11-26T02:00:00Z');
});
afterEach(() => db.close());
const auth = (mode: 'production' | 'development' = 'production') =>
  createTechnicianAuth({ db, clock: () => new Date(now), mode });

describe('technician auth', () => {
  it('stores only a salted hash and opens a session for the right PIN', () => {
    const a = auth();
    expect(a.login('123456')).toEqual({ ok: false, error: { kind: 'no-pin-set' } });
    expect(a.setPin('12ab')).toMatchObject({ ok: false, error: { kind: 'invalid-pin' } });
    expect(a.setPin('24681357')).toEqual({ ok: true, value: null });
    const stored = db
      .prepare("SELECT value FROM kiosk_config WHERE key = 'tech.pin'")
      .pluck()
      .get() as string;
    expect(stored).not.toContain('24681357');
    const r = a.login('24681357');
    if (!r.ok) throw new Error(r.error.kind);
    expect(a.check(r.value.session)).toBe(true);
    expect(a.check('forged')).toBe(false);
    now += SESSION_MS + 1;
    expect(a.check(r.value.session)).toBe(false);
  });

  it('locks after five wrong PINs, even across a restart, and unlocks after the lockout', () => {
    auth().setPin('24681357');
    for (let i = 4; i >= 1; i--)
      expect(auth().login('000001')).toEqual({ ok: false, error: { kind: 'wrong-pin', attemptsLeft: i } });
    expect(auth().login('000001')).toMatchObject({ ok: false, error: { kind: 'locked' } });
    // The right PIN is refused while locked, by a fresh service (a restarted kiosk) too.
    expect(auth().login('24681357')).toMatchObject({ ok: false, error: { kind: 'locked' } });
    now += 60_000 + 1; // the first lockout: one minute
    expect(auth().login('24681357')).toMatchObject({ ok: true });
    expect(db.prepare("SELECT count(*) FROM audit_log WHERE action = 'tech-locked'").pluck().get()).toBe(1);
  });

  it('escalates the lockout 1 → 5 → 15 → 60 minutes, kept across restarts, reset by the right PIN', () => {
    auth().setPin('24681357');
    const lockFor = (): number => {
      for (let i = 0; i < 5; i++) auth().login('000001');
      const r = auth().login('24681357'); // a fresh service each time: a restarted kiosk
      if (r.ok || r.error.kind !== 'locked') throw new Error('expected the console to be locked');
      return (Date.parse(r.error.retryAt) - now) / 60_000;
    };
    const minutes: number[] = [];
    for (let round = 0; round < 5; round++) {
      minutes.push(lockFor());
      // One millisecond before the end it is still locked; just after, a wrong PIN starts a new round.
      now += (minutes.at(-1) ?? 0) * 60_000 - 1;
      expect(auth().login('24681357')).toMatchObject({ ok: false, error: { kind: 'locked' } });
      now += 2;
    }
    expect(minutes).toEqual([1, 5, 15, 60, 60]);
    const locked = db
      .prepare("SELECT detail FROM audit_log WHERE action = 'tech-locked' ORDER BY id")
      .pluck()
      .all() as string[];
    expect(locked.map((d) => (JSON.parse(d) as { minutes: number }).minutes)).toEqual([1, 5, 15, 60, 60]);
    // The right PIN resets the ladder: the next lockout is one minute again.
    expect(auth().login('24681357')).toMatchObject({ ok: true });
    expect(lockFor()).toBe(1);
  });

  it('accepts the documented default PIN only in development before a PIN is set', () => {
    expect(auth('development').login(DEV_DEFAULT_PIN)).toMatchObject({ ok: true });
    expect(auth('production').login(DEV_DEFAULT_PIN)).toEqual({ ok: false, error: { kind: 'no-pin-set' } });
    auth('development').setPin('13572468');
    expect(auth('development').login(DEV_DEFAULT_PIN)).toMatchObject({
      ok: false,
      error: { kind: 'wrong-pin' },
    });
  });
});
