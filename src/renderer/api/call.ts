/**
 * Every mutation a screen makes goes through one of these, so a failure is a value the screen
 * switches over (never a try/catch per screen). The procedure's own expected failures — a lapsed
 * session among them, as `{ kind: 'session-expired' }` — are its Result's error already; a call
 * that got no answer adds `{ kind: 'failed' }`.
 */
import { err, ok, type Err, type Result } from '../../shared/browser.js';
import { rpcErrorCode, type CallFailed, type ResultLike } from './errors.js';

const failed = (error: unknown): Err<CallFailed> => err({ kind: 'failed', code: rpcErrorCode(error) });

/** A procedure that answers a plain value (it has no expected failure): the value, or why not. */
export async function callValue<T>(run: () => Promise<T>): Promise<Result<T, CallFailed>> {
  try {
    return ok(await run());
  } catch (error) {
    return failed(error);
  }
}

/** A procedure that answers a Result: that Result, or why there is none. */
export async function callResult<O extends ResultLike>(run: () => Promise<O>): Promise<O | Err<CallFailed>> {
  try {
    return await run();
  } catch (error) {
    return failed(error);
  }
}
