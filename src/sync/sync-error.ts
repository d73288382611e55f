/**
 * Every expected failure of the sync client, as a value (docs/sync-protocol.md): the hall is
 * unreachable, refuses, answers something unreadable, or the kiosk cannot make progress. Only bugs
 * throw.
 */
import { err, type Err, type Result } from '../shared/result.js';

export type SyncError =
  | { kind: 'not-enrolled' }
  | { kind: 'network'; message: string }
  | { kind: 'http'; status: number; error: string; message: string; retryAfterMs: number }
  | { kind: 'protocol'; message: string }
  /**
   * An answer without the hall's valid signature (docs/sync-protocol.md, 1.1): something between the
   * kiosk and the hall answered or changed it. Nothing of it is applied; retried like a network fault.
   */
  | { kind: 'untrusted-answer'; message: string }
  /** The configured hall address may not be used (production: plain http, no pinned CA; none set). */
  | { kind: 'hall-refused'; message: string }
  | { kind: 'blob-missing-locally'; sha256: string }
  | { kind: 'stuck'; message: string };

/** The outcome of one step of the client (a request, an upload, a push, a pull). */
export type Synced<T> = Result<T, SyncError>;

/** A step that cannot make progress however often it is retried against this hall. */
export const stuck = (message: string): Err<SyncError> => err({ kind: 'stuck', message });

export const describeError = (e: SyncError): string => {
  switch (e.kind) {
    case 'not-enrolled':
      return 'not enrolled';
    case 'network':
      return `network: ${e.message}`;
    case 'http':
      return `hall answered ${e.status} ${e.error}: ${e.message}`;
    case 'protocol':
      return `protocol: ${e.message}`;
    case 'untrusted-answer':
      return `untrusted answer: ${e.message}`;
    case 'hall-refused':
      return `hall address refused: ${e.message}`;
    case 'blob-missing-locally':
      return `scanned file ${e.sha256} is missing on this kiosk`;
    case 'stuck':
      return e.message;
    default: {
      const never: never = e;
      return String(never);
    }
  }
};
