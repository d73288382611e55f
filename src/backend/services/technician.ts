/**
 * Technician access to the console: a PIN, stored only as a salted scrypt hash, and short-lived
 * sessions. Five wrong PINs lock the console, each lockout longer than the one before — 1, 5, 15, then
 * 60 minutes (docs/security.md, "Technician powers") — until a right PIN resets the ladder. Counts and
 * ladder survive a restart (kept in kiosk_config), so pulling the plug does not reset them. Every
 * console action is written to the audit log (`recordAction`, with before/after where it changes
 * something).
 *
 * A fresh development kiosk accepts the documented PIN 000000 until one is set; a production
 * kiosk has no console until a PIN is set with `npm run cli -- tech set-pin`.
 */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { err, ok, type Result } from '../../shared/result.js';
import type { AuditAction, AuditDetail } from '../audit-events.js';
import { createAuditStore } from '../store/audit-store.js';
import { createConfigStore } from '../store/config-store.js';
import type { Db } from '../store/db.js';

export const DEV_DEFAULT_PIN = '000000';
export const MAX_ATTEMPTS = 5;
/** Lockout lengths, one step further at each lockout; the last repeats. */
export const LOCKOUT_STEPS_MS = [1, 5, 15, 60].map((m) => m * 60_000);
export const lockoutMs = (lockouts: number): number =>
  LOCKOUT_STEPS_MS[Math.min(Math.max(lockouts, 1), LOCKOUT_STEPS_MS.length) - 1] ?? 3600_000;
export const SESSION_MS = 15 * 60_000;

export type LoginError =
  { kind: 'wrong-pin'; attemptsLeft: number } | { kind: 'locked'; retryAt: string } | { kind: 'no-pin-set' };

export type LoginResult = Result<{ session: string; expiresAt: string }, LoginError>;

export type SetPinError = { kind: 'invalid-pin'; message: string };

const PIN_RE = /^\d{6,12}$/;

/** kiosk_config `tech.lock`: failures in the current round, the lock's end, lockouts since the last good PIN. */
type LockState = { failures: number; lockedUntil: number | null; lockouts: number };

function hashPin(pin: string, salt: Buffer): Buffer {
  return scryptSync(pin, salt, 32, { N: 16384, r: 8, p: 1 });
}

export function createTechnicianAuth(deps: {
  db: Db;
  clock: () => Date;
  mode: 'production' | 'development';
}) {
  const { db, clock } = deps;
  const config = createConfigStore(db);
  const audit = createAuditStore(db);
  const sessions = new Map<string, number>();

  const read = <T>(key: string): T | null => config.read<T>(key);
  const write = (key: string, value: unknown) => config.write(key, value, clock().toISOString());

  function verifyPin(pin: string): boolean | 'no-pin' {
    const stored = read<{ salt: string; hash: string }>('tech.pin');
    if (!stored) return deps.mode === 'development' ? pin === DEV_DEFAULT_PIN : 'no-pin';
    const expected = Buffer.from(stored.hash, 'base64');
    const actual = hashPin(pin, Buffer.from(stored.salt, 'base64'));
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }

  return {
    login(pin: string): LoginResult {
      const now = clock().getTime();
      const stored = read<Partial<LockState>>('tech.lock') ?? {};
      const lock: LockState = {
        failures: stored.failures ?? 0,
        lockedUntil: stored.lockedUntil ?? null,
        lockouts: stored.lockouts ?? 0,
      };
      if (lock.lockedUntil !== null && lock.lockedUntil > now) {
        return err({ kind: 'locked', retryAt: new Date(lock.lockedUntil).toISOString() });
      }
      const verdict = verifyPin(pin);
      if (verdict === 'no-pin') return err({ kind: 'no-pin-set' });
      if (!verdict) {
        const failures = (lock.lockedUntil !== null ? 0 : lock.failures) + 1;
        const locked = failures >= MAX_ATTEMPTS;
        const lockouts = locked ? lock.lockouts + 1 : lock.lockouts;
        const until = now + lockoutMs(lockouts);
        db.transaction(() => {
          write('tech.lock', {
            failures: locked ? 0 : failures,
            lockedUntil: locked ? until : null,
            lockouts,
          } satisfies LockState);
          if (locked)
            audit.record(
              'tech-locked',
              null,
              { failures, lockouts, minutes: lockoutMs(lockouts) / 60_000 },
              clock().toISOString(),
            );
          else audit.record('tech-wrong-pin', null, { failures }, clock().toISOString());
        })();
        return err(
          locked
            ? { kind: 'locked', retryAt: new Date(until).toISOString() }
            : { kind: 'wrong-pin', attemptsLeft: MAX_ATTEMPTS - failures },
        );
      }
      db.transaction(() => {
        write('tech.lock', { failures: 0, lockedUntil: null, lockouts: 0 } satisfies LockState);
        audit.record('tech-login', null, null, clock().toISOString());
      })();
      const session = randomBytes(24).toString('base64url');
      sessions.set(session, now + SESSION_MS);
      return ok({ session, expiresAt: new Date(now + SESSION_MS).toISOString() });
    },
    /** True for a live session; each use extends it. */
    check(session: string | undefined): boolean {
      if (!session) return false;
      const until = sessions.get(session);
      const now = clock().getTime();
      if (until === undefined || until <= now) {
        sessions.delete(session);
        return false;
      }
      sessions.set(session, now + SESSION_MS);
      return true;
    },
    logout(session: string | undefined): void {
      if (session && sessions.delete(session)) audit.record('tech-logout', null, null, clock().toISOString());
    },
    /** Writes one console action to the audit log (the caller gives before/after where it changed something). */
    recordAction<A extends AuditAction>(action: A, subject: string | null, detail: AuditDetail<A>): void {
      audit.record(action, subject, detail, clock().toISOString());
    },
    setPin(pin: string): Result<null, SetPinError> {
      if (!PIN_RE.test(pin)) return err({ kind: 'invalid-pin', message: 'the PIN must be 6 to 12 digits' });
      const salt = randomBytes(16);
      db.transaction(() => {
        write('tech.pin', { salt: salt.toString('base64'), hash: hashPin(pin, salt).toString('base64') });
        write('tech.lock', { failures: 0, lockedUntil: null, lockouts: 0 } satisfies LockState);
        audit.record('tech-pin-set', null, null, clock().toISOString());
      })();
      sessions.clear();
      return ok(null);
    },
  };
}
export type TechnicianAuth = ReturnType<typeof createTechnicianAuth>;
