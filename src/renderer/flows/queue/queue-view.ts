/**
 * What the 排队取号 screen says when no number could be taken (the backend's IssueError): paper out
 * gets its own plain sentence (取号机缺纸，请到咨询台人工取号); other printer states name the state.
 */
import type { CallFailed, ErrorOf, RouterOutputs } from '../../api/index.js';

/** Why no number was taken: the router's IssueError, or the call itself failed. */
export type IssueErrorIn = ErrorOf<RouterOutputs['queue']['issue']> | CallFailed;
export type PrinterState = Extract<IssueErrorIn, { kind: 'printer-unavailable' }>['status'];

export type IssueProblem = {
  key: 'paperOut' | 'unavailable' | 'noPrinter' | 'rangeExhausted' | 'unknownWindow' | 'failed';
  /** The printer state to name (queueFlow.printerStatus.<status>), for 'unavailable'. */
  status: PrinterState | null;
};

export function issueProblem(error: IssueErrorIn): IssueProblem {
  switch (error.kind) {
    case 'printer-unavailable':
      return error.status === 'paper-out'
        ? { key: 'paperOut', status: 'paper-out' }
        : { key: 'unavailable', status: error.status };
    case 'no-ticket-printer':
      return { key: 'noPrinter', status: null };
    case 'range-exhausted':
      return { key: 'rangeExhausted', status: null };
    case 'unknown-window':
      return { key: 'unknownWindow', status: null };
    case 'failed':
      return { key: 'failed', status: null };
    default: {
      const never: never = error;
      return never;
    }
  }
}
