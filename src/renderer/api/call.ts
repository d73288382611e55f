/**
 * Every mutation a screen makes goes through one of these, so a failure is a value the screen
 * switches over (never a try/catch per screen), and a lapsed resident session — however the
 * backend says it — reads `SessionExpired` everywhere. The `session*` pair is for procedures that
 * need the resident's session; the other pair for those that do not (no lapse to report).
 */
import { err, ok, type Err, type Result } from '../../shared/browser.js';
import {
  normalise,
  rpcErrorCode,
  thrownError,
  type CallError,
  type CallFailed,
  type Normalised,
  type ResultLike,
} from './errors.js';

const failed = (error: unknown): Err<CallFailed> => err({ kind: 'failed', code: rpcErrorCode(error) });

/** A procedure that answers a plain value: the value, or why there is none. */
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

/** A session procedure that answers a plain value (a lapse is thrown): the value, or why not. */
export async function sessionCallValue<T>(run: () => Promise<T>): Promise<Result<T, CallError>> {
  try {
    return ok(await run());
  } catch (error) {
    return err(thrownError(error));
  }
}

/** A session procedure that answers a Result: it (a lapse said one way), or why there is none. */
export async function sessionCallResult<O extends ResultLike>(
  run: () => Promise<O>,
): Promise<Normalised<O> | Err<CallError>> {
  try {
    return normalise(await run());
  } catch (error) {
    return err(thrownError(error));
  }
}
