/**
 * The steps of 我要办事 and how the resident moves between them, without React: 下一步, 上一步, the
 * 修改 jumps from the review page (which come back to the review after the changed step), and the
 * point of no return after submission (an application is never edited after it was submitted).
 */

export const ALL_STEPS = [
  'identify',
  'find',
  'guide',
  'form',
  'materials',
  'delivery',
  'integrity',
  'review',
  'result',
] as const;
export type StepId = (typeof ALL_STEPS)[number];

/** Steps the review page can send the resident back to. */
export const EDITABLE_STEPS = ['form', 'materials', 'delivery'] as const satisfies readonly StepId[];
export type EditableStep = (typeof EDITABLE_STEPS)[number];

export type StepState = {
  steps: readonly StepId[];
  current: StepId;
  /** Set by a 修改 jump from the review page: 下一步 goes straight back there. */
  returnTo: StepId | null;
  submitted: boolean;
};

export type StepAction =
  | { type: 'next' }
  | { type: 'back' }
  | { type: 'edit'; step: EditableStep }
  /** Back to the identity step's start (e.g. 重新选择办理方式), keeping what was typed. */
  | { type: 'goto'; step: StepId }
  | { type: 'submitted' };

/** The flow's steps: the item search is skipped when the guide screen already named the item. */
export function initialSteps(hasTarget: boolean): StepState {
  const steps = ALL_STEPS.filter((s) => !(hasTarget && s === 'find'));
  return { steps, current: 'identify', returnTo: null, submitted: false };
}

export function stepIndex(state: StepState): number {
  return Math.max(0, state.steps.indexOf(state.current));
}

export function stepReducer(state: StepState, action: StepAction): StepState {
  if (state.submitted && action.type !== 'submitted') return state;
  const i = stepIndex(state);
  switch (action.type) {
    case 'next': {
      if (state.current === 'review') return state;
      if (state.returnTo !== null && state.returnTo !== state.current) {
        return { ...state, current: state.returnTo, returnTo: null };
      }
      const next = state.steps[i + 1];
      return next && next !== 'result' ? { ...state, current: next, returnTo: null } : state;
    }
    case 'back': {
      const prev = state.steps[i - 1];
      // A 修改 detour is abandoned once the resident walks back on their own.
      return prev ? { ...state, current: prev, returnTo: null } : state;
    }
    case 'edit':
      if (state.current !== 'review' || !state.steps.includes(action.step)) return state;
      return { ...state, current: action.step, returnTo: 'review' };
    case 'goto':
      if (!state.steps.includes(action.step) || action.step === 'result') return state;
      return { ...state, current: action.step, returnTo: null };
    case 'submitted':
      return { ...state, current: 'result', returnTo: null, submitted: true };
    default: {
      const never: never = action;
      return never;
    }
  }
}

/** Whether 上一步 has a step to go back to inside the flow (false: the app leaves the flow). */
export function canGoBack(state: StepState): boolean {
  return state.submitted || stepIndex(state) > 0;
}
