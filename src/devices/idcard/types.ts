/**
 * The ID-card reader as the rest of the kiosk sees it (docs/architecture.md, "Devices"): one interface,
 * statuses and events as tagged unions, never booleans or thrown strings.
 */
import type { IdentityRecord, InvalidCard } from './identity.js';
import type { WltPhoto } from './photo.js';

/**
 * Why a connected reader cannot read cards:
 * - `sam-failure`: SW3 60, the SAM failed its self-test and accepts no command;
 * - `sam-not-authorized`: SW3 66;
 * - `no-response`: the port is open but nothing answers (wrong port, wrong baud, reader hung);
 * - `link-errors`: answers keep arriving corrupt (checksum/length), or the reader keeps
 *   rejecting our frames (SW3 10/11) — usually a baud mismatch or a bad cable;
 * - `reader-error`: the reader keeps answering with command/unrecognised errors (SW3 21/23/24);
 * - `unsupported-transport`: the address names a transport that cannot work (HID).
 */
export type IdCardFault =
  | 'sam-failure'
  | 'sam-not-authorized'
  | 'no-response'
  | 'link-errors'
  | 'reader-error'
  | 'unsupported-transport';

export type IdCardStatus =
  | { state: 'connecting' }
  | { state: 'ready'; samId: string | null }
  | { state: 'disconnected'; reason: 'open-failed' | 'port-closed'; message: string; retryInMs: number }
  | { state: 'fault'; detail: IdCardFault; message: string; retryInMs: number | null }
  | { state: 'stopped' };

/** A card was found but not read; per card, reported once until it leaves the field. */
export type CardErrorReason =
  'select-failed' | 'read-failed' | 'authentication-failed' | 'unrecognized-card' | 'corrupt-response';

export type IdCardEvent =
  | { type: 'status'; status: IdCardStatus }
  /** A read and validated card. `photo` is raw WLT; `extraAddress` is the 30 03 additional address, if any. */
  | { type: 'card-present'; identity: IdentityRecord; photo: WltPhoto; extraAddress: string | null }
  /** A read card whose data failed validation (e.g. GB 11643 check): field names and problem codes only. */
  | { type: 'card-invalid'; invalid: InvalidCard }
  | { type: 'card-error'; reason: CardErrorReason }
  /** The card that produced card-present/card-invalid left the field (or the reader went away). */
  | { type: 'card-removed' };

export interface IdCardReader {
  /** Current status; also delivered as `status` events on change. */
  status(): IdCardStatus;
  /** Returns the unsubscribe function. Listener errors are logged, never break the reader. */
  subscribe(listener: (event: IdCardEvent) => void): () => void;
  /** Connects and starts polling; idempotent. */
  start(): void;
  /** Stops polling and closes the port; resolves when nothing is left running. Final: no restart. */
  stop(): Promise<void>;
}

/** Time and timers, injectable so backoff and timeouts can be tested without waiting. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
