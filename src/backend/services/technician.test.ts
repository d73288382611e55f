import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../store/db.js';
import { createTechnicianAuth, DEV_DEFAULT_PIN, LOCKOUT_MS, SESSION_MS } from './technician.js';

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
    now += LOCKOUT_MS + 1;
    expect(auth().login('24681357')).toMatchObject({ ok: true });
    expect(db.prepare("SELECT count(*) FROM audit_log WHERE action = 'tech-locked'").pluck().get()).toBe(1);
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
