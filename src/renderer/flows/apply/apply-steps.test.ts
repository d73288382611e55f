import { describe, expect, it } from 'vitest';
import {
  canGoBack,
  initialSteps,
  stepIndex,
  stepReducer,
  type StepAction,
  type StepState,
} from './apply-steps.js';

const run = (state: StepState, ...actions: StepAction[]) => actions.reduce(stepReducer, state);
const next: StepAction = { type: 'next' };
const back: StepAction = { type: 'back' };

describe('apply steps', () => {
  it('walks identify → find → … → review, and skips the search when the item is given', () => {
    const full = initialSteps(false);
    expect(full.steps).toEqual([
      'identify',
      'find',
      'guide',
      'form',
      'materials',
      'delivery',
      'integrity',
      'review',
      'result',
    ]);
    expect(run(full, next, next, next).current).toBe('form');
    expect(run(full, next, next, next, next, next, next, next, next, next).current).toBe('review');
    const given = initialSteps(true);
    expect(given.steps).not.toContain('find');
    expect(run(given, next).current).toBe('guide');
  });

  it('goes one step back, and has nowhere to go from the first step', () => {
    const s = run(initialSteps(false), next, next);
    expect(run(s, back).current).toBe('find');
    const first = initialSteps(false);
    expect(canGoBack(first)).toBe(false);
    expect(run(first, back)).toEqual(first);
    expect(stepIndex(run(first, next))).toBe(1);
  });

  it('returns to the review after a 修改 jump, unless the resident walks back', () => {
    const review = run(initialSteps(true), next, next, next, next, next, next);
    expect(review.current).toBe('review');
    const editing = run(review, { type: 'edit', step: 'form' });
    expect(editing).toMatchObject({ current: 'form', returnTo: 'review' });
    expect(run(editing, next).current).toBe('review');
    const wandered = run(editing, back);
    expect(wandered).toMatchObject({ current: 'guide', returnTo: null });
    expect(run(wandered, next).current).toBe('form');
    expect(run(wandered, next, next).current).toBe('materials');
    // 修改 only from the review page.
    expect(run(initialSteps(true), { type: 'edit', step: 'form' }).current).toBe('identify');
  });

  it('never leaves the result once submitted', () => {
    const done = run(initialSteps(true), { type: 'submitted' });
    expect(done).toMatchObject({ current: 'result', submitted: true });
    expect(run(done, back, next, { type: 'goto', step: 'form' })).toEqual(done);
    expect(canGoBack(done)).toBe(true);
    // 下一步 from the review is the submit button's job, not the reducer's.
    const review = run(initialSteps(true), next, next, next, next, next, next);
    expect(run(review, next).current).toBe('review');
  });
});
