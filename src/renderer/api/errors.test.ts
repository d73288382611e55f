import { describe, expect, it } from 'vitest';
import { SESSION_EXPIRED } from '../../shared/browser.js';
import { callResult, callValue, sessionCallResult, sessionCallValue } from './call.js';
import {
  isLapseError,
  isLapseThrown,
  normalise,
  rpcErrorCode,
  rpcErrorMessage,
  thrownError,
} from './errors.js';

/** A thrown tRPC client error, as far as the screens read one. */
const thrown = (code: string, message: string) => Object.assign(new Error(message), { data: { code } });

describe('rpc errors', () => {
  it('reads the code and a message fit for a person', () => {
    const unauthorized = {
      message: 'technician session missing or expired: enter the PIN again',
      data: { code: 'UNAUTHORIZED' },
    };
    expect(rpcErrorCode(unauthorized)).toBe('UNAUTHORIZED');
    expect(rpcErrorMessage(unauthorized)).toBe('technician session missing or expired: enter the PIN again');
    expect(rpcErrorMessage({ message: '[{"code":"invalid_value"}]', data: { code: 'BAD_REQUEST' } })).toBe(
      'BAD_REQUEST',
    );
    expect(rpcErrorCode(new Error('boom'))).toBeNull();
    expect(rpcErrorCode('nope')).toBeNull();
    expect(rpcErrorMessage(undefined)).toBe('error');
  });
});

describe('a lapsed session', () => {
  it('is recognised however the backend says it', () => {
    expect(isLapseThrown(thrown('PRECONDITION_FAILED', 'session-expired'))).toBe(true);
    expect(isLapseThrown(thrown('PRECONDITION_FAILED', 'sync is not running'))).toBe(false);
    expect(isLapseThrown(thrown('NOT_FOUND', 'session-expired'))).toBe(false);
    expect(isLapseError({ kind: 'no-session' })).toBe(true);
    expect(isLapseError({ kind: 'session-expired' })).toBe(true);
    expect(isLapseError({ kind: 'no-scanner' })).toBe(false);
    expect(isLapseError('no-session')).toBe(false);
  });

  it('reaches the screen as SessionExpired; other failures as failed with their code', () => {
    expect(thrownError(thrown('PRECONDITION_FAILED', 'session-expired'))).toEqual(SESSION_EXPIRED);
    expect(thrownError(thrown('NOT_FOUND', 'no such application'))).toEqual({
      kind: 'failed',
      code: 'NOT_FOUND',
    });
    expect(thrownError(new TypeError('Failed to fetch'))).toEqual({ kind: 'failed', code: null });
    const identify = { ok: false as const, error: { kind: 'no-session' as const }, session: null };
    expect(normalise(identify)).toEqual({ ok: false, error: SESSION_EXPIRED, session: null });
    const scanner = { ok: false as const, error: { kind: 'blank' as const } };
    expect(normalise(scanner)).toBe(scanner);
    const done = { ok: true as const, added: 1 };
    expect(normalise(done)).toBe(done);
  });
});

describe('calls', () => {
  const lapse = () => Promise.reject(thrown('PRECONDITION_FAILED', 'session-expired'));

  it('answer values, never throw', async () => {
    expect(await callValue(() => Promise.resolve(3))).toEqual({ ok: true, value: 3 });
    expect(await callValue(() => Promise.reject(new Error('down')))).toEqual({
      ok: false,
      error: { kind: 'failed', code: null },
    });
    expect(await callResult(() => Promise.resolve({ ok: true as const }))).toEqual({ ok: true });
  });

  it('say a lapse only for session procedures', async () => {
    expect(await sessionCallValue(lapse)).toEqual({ ok: false, error: SESSION_EXPIRED });
    expect(await sessionCallResult(lapse)).toEqual({ ok: false, error: SESSION_EXPIRED });
    expect(
      await sessionCallResult(() =>
        Promise.resolve({ ok: false as const, error: { kind: 'no-session' as const } }),
      ),
    ).toEqual({ ok: false, error: SESSION_EXPIRED });
    expect(await callValue(lapse)).toEqual({
      ok: false,
      error: { kind: 'failed', code: 'PRECONDITION_FAILED' },
    });
  });
});
