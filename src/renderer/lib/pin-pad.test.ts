import { describe, expect, it } from 'vitest';
import {
  canSubmit,
  initialPinState,
  PIN_MAX,
  pinReducer,
  pinSlots,
  type PinAction,
  type PinState,
} from './pin-pad.js';

const run = (actions: PinAction[], from: PinState = initialPinState): PinState =>
  actions.reduce(pinReducer, from);
const type = (digits: string): PinAction[] => [...digits].map((digit) => ({ type: 'digit', digit }));

describe('pinReducer', () => {
  it('collects digits, deletes the last one and clears', () => {
    expect(run(type('123')).digits).toBe('123');
    expect(run([...type('123'), { type: 'backspace' }]).digits).toBe('12');
    expect(run([...type('123'), { type: 'clear' }]).digits).toBe('');
    expect(run([{ type: 'backspace' }])).toBe(initialPinState);
  });

  it('accepts only single digits and at most 12 of them', () => {
    expect(
      run([
        { type: 'digit', digit: 'a' },
        { type: 'digit', digit: '12' },
      ]),
    ).toBe(initialPinState);
    expect(run(type('1234567890123456')).digits).toHaveLength(PIN_MAX);
  });

  it('submits only a PIN of six digits or more, and only once', () => {
    expect(canSubmit(run(type('12345')))).toBe(false);
    const ready = run(type('000000'));
    expect(canSubmit(ready)).toBe(true);
    const checking = pinReducer(ready, { type: 'submit' });
    expect(checking.checking).toBe(true);
    expect(canSubmit(checking)).toBe(false);
    expect(pinReducer(checking, { type: 'submit' })).toBe(checking);
    // No typing while the check runs.
    expect(pinReducer(checking, { type: 'digit', digit: '1' })).toBe(checking);
    expect(pinReducer(checking, { type: 'clear' })).toBe(checking);
  });

  it('clears the digits and keeps the answer after a wrong PIN', () => {
    const s = run([
      ...type('123456'),
      { type: 'submit' },
      { type: 'refused', error: { kind: 'wrong-pin', attemptsLeft: 4 } },
    ]);
    expect(s).toEqual({ digits: '', checking: false, feedback: { kind: 'wrong-pin', attemptsLeft: 4 } });
    // The message stays while the PIN is typed again.
    expect(run(type('1'), s).feedback).toEqual({ kind: 'wrong-pin', attemptsLeft: 4 });
  });

  it('reports lock-out, no PIN set, a failed check and an expired session', () => {
    const retryAt = '2026-11-26T10:05:00.000Z';
    expect(
      pinReducer(initialPinState, { type: 'refused', error: { kind: 'locked', retryAt } }).feedback,
    ).toEqual({
      kind: 'locked',
      retryAt,
    });
    expect(pinReducer(initialPinState, { type: 'refused', error: { kind: 'no-pin-set' } }).feedback).toEqual({
      kind: 'no-pin-set',
    });
    const failed = run([...type('123456'), { type: 'submit' }, { type: 'failed' }]);
    expect(failed).toEqual({ digits: '123456', checking: false, feedback: { kind: 'failed' } });
    expect(pinReducer(failed, { type: 'reset', feedback: { kind: 'expired' } })).toEqual({
      digits: '',
      checking: false,
      feedback: { kind: 'expired' },
    });
  });
});

describe('pinSlots', () => {
  it('shows six slots at least, filled one per digit, and grows to the PIN length', () => {
    expect(pinSlots(initialPinState)).toEqual([false, false, false, false, false, false]);
    expect(pinSlots(run(type('12')))).toEqual([true, true, false, false, false, false]);
    expect(pinSlots(run(type('12345678')))).toEqual(Array(8).fill(true));
  });
});
