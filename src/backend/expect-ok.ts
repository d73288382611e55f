/**
 * For tests (unit, integration, e2e): the value of a Result that must have succeeded — a failure
 * fails the test with the error it carried, instead of a later "undefined has no property".
 */
import type { Result } from '../shared/result.js';

export function expectOk<T, E>(r: Result<T, E>): T {
  if (!r.ok) throw new Error(`expected ok, got the error ${JSON.stringify(r.error)}`);
  return r.value;
}
