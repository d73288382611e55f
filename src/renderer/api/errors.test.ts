import { describe, expect, it } from 'vitest';
import { err, ok, SESSION_EXPIRED } from '../../shared/browser.js';
import { callResult, callValue } from './call.js';
import { rpcErrorCode, rpcErrorMessage, valueOf } from './errors.js';

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

describe('calls', () => {
  it('answer values, never throw', async () => {
    expect(await callValue(() => Promise.resolve(3))).toEqual({ ok: true, value: 3 });
    expect(await callValue(() => Promise.reject(new Error('down')))).toEqual({
      ok: false,
      error: { kind: 'failed', code: null },
    });
    expect(await callResult(() => Promise.resolve(ok(3)))).toEqual({ ok: true, value: 3 });
    expect(await callResult(() => Promise.reject(thrown('INTERNAL_SERVER_ERROR', 'boom')))).toEqual({
      ok: false,
      error: { kind: 'failed', code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  it('pass a lapsed session through as the one form the procedure returned', async () => {
    const lapsed = await callResult(() => Promise.resolve(err(SESSION_EXPIRED)));
    expect(lapsed).toEqual({ ok: false, error: { kind: 'session-expired' } });
    // A thrown error is never read as a lapse: the backend does not say it that way (any more).
    expect(await callResult(() => Promise.reject(thrown('PRECONDITION_FAILED', 'session-expired')))).toEqual({
      ok: false,
      error: { kind: 'failed', code: 'PRECONDITION_FAILED' },
    });
  });
});

describe('valueOf', () => {
  it('reads the value of a successful answer, nothing else', () => {
    expect(valueOf(ok([1, 2]))).toEqual([1, 2]);
    expect(valueOf(err({ kind: 'not-found' }))).toBeUndefined();
    expect(valueOf(undefined)).toBeUndefined();
  });
});
