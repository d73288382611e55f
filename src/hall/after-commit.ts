/**
 * What a service tells others (the live desk, desk-events.ts) once its transaction has committed,
 * not before: on PostgreSQL another connection does not see uncommitted rows, and a rolled-back
 * push must tell nobody anything.
 *
 * `withAfterCommit(fn)` runs `fn` (which holds the outermost transaction) and then the callbacks
 * `afterCommit` collected during it, in order — none when `fn` throws. Inside another
 * `withAfterCommit` of the same async context the callbacks wait for the outer one (a push applying
 * a supplement moves the case's status in a savepoint of the push's transaction). Outside any,
 * `afterCommit` runs its callback at once.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const pending = new AsyncLocalStorage<(() => void)[]>();

export async function withAfterCommit<T>(fn: () => Promise<T>): Promise<T> {
  if (pending.getStore() !== undefined) return fn();
  const callbacks: (() => void)[] = [];
  const result = await pending.run(callbacks, fn);
  // Bounded: only what `fn` collected; a callback that registers another runs it at once.
  for (const cb of callbacks) cb();
  return result;
}

export function afterCommit(cb: () => void): void {
  const callbacks = pending.getStore();
  if (callbacks === undefined) cb();
  else callbacks.push(cb);
}
