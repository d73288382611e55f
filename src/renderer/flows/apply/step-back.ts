/**
 * 上一步 inside one step of the apply flow (the identify step's card prompts, the item search's
 * lists): the flow asks the current step first, then goes one step back itself. One handler per
 * flow keeps the order certain (app-level handlers register child-first on the first render).
 */
import { createContext, useContext, useEffect, useRef } from 'react';

export type StepBack = () => boolean;
export type RegisterStepBack = (handler: StepBack) => () => void;

export const StepBackContext = createContext<RegisterStepBack | null>(null);

/** The current step's own 上一步: return true when it went back inside the step. */
export function useStepBack(handler: StepBack): void {
  const register = useContext(StepBackContext);
  const ref = useRef(handler);
  useEffect(() => {
    ref.current = handler;
  }, [handler]);
  useEffect(() => register?.(() => ref.current()), [register]);
}
