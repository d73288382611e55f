/**
 * State of the technician PIN pad: the digits typed so far (never shown, only counted as dots),
 * whether a check is running, and what the last answer said. A reducer, so it is tested without
 * React. PIN rules come from the backend's technician service: 6 to 12 digits, five wrong → locked.
 */
import type { ErrorOf, TechLoginOut } from '../api/index.js';

export const PIN_MIN = 6;
export const PIN_MAX = 12;

/** tech.login's refusal (wrong PIN, locked, no PIN set), as the router types it. */
export type LoginRefusal = ErrorOf<TechLoginOut>;

/** tech.login's refusal as it is, plus the states the screen adds itself. */
export type PinFeedback =
  | { kind: 'none' }
  | LoginRefusal
  /** The console session ran out (or the backend restarted): enter the PIN again. */
  | { kind: 'expired' }
  /** The check itself failed (backend unreachable): nothing was counted. */
  | { kind: 'failed' };

export type PinState = { digits: string; checking: boolean; feedback: PinFeedback };

export type PinAction =
  | { type: 'digit'; digit: string }
  | { type: 'backspace' }
  | { type: 'clear' }
  | { type: 'submit' }
  | { type: 'refused'; error: LoginRefusal }
  | { type: 'failed' }
  | { type: 'reset'; feedback?: PinFeedback };

export const initialPinState: PinState = { digits: '', checking: false, feedback: { kind: 'none' } };

export function canSubmit(state: PinState): boolean {
  return !state.checking && state.digits.length >= PIN_MIN;
}

export function pinReducer(state: PinState, action: PinAction): PinState {
  switch (action.type) {
    case 'digit':
      if (state.checking || !/^\d$/.test(action.digit) || state.digits.length >= PIN_MAX) return state;
      return { ...state, digits: state.digits + action.digit };
    case 'backspace':
      if (state.checking || state.digits === '') return state;
      return { ...state, digits: state.digits.slice(0, -1) };
    case 'clear':
      if (state.checking || state.digits === '') return state;
      return { ...state, digits: '' };
    case 'submit':
      return canSubmit(state) ? { ...state, checking: true } : state;
    case 'refused':
      // The digits go: a wrong PIN is typed again from the start, never edited.
      return { digits: '', checking: false, feedback: action.error };
    case 'failed':
      return { ...state, checking: false, feedback: { kind: 'failed' } };
    case 'reset':
      return { ...initialPinState, feedback: action.feedback ?? { kind: 'none' } };
    default: {
      const never: never = action;
      return never;
    }
  }
}

/** How many dots the pad shows: one per digit, and at least the six of a minimal PIN as empty slots. */
export function pinSlots(state: PinState): boolean[] {
  const n = Math.max(PIN_MIN, state.digits.length);
  return Array.from({ length: n }, (_, i) => i < state.digits.length);
}
