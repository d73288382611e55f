/**
 * What the 排队取号 screen says when no number could be taken (the backend's IssueError): paper out
 * gets its own plain sentence (取号机缺纸，请到咨询台人工取号); other printer states name the state.
 */
export type PrinterState = 'ready' | 'paper-near-end' | 'paper-out' | 'cover-open' | 'offline' | 'error';

export type IssueErrorIn =
  | { kind: 'printer-unavailable'; status: PrinterState; detail: string }
  | { kind: 'no-ticket-printer' }
  | { kind: 'unknown-window'; window: string }
  | { kind: 'range-exhausted'; window: string; last: number };

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
    default: {
      const never: never = error;
      return never;
    }
  }
}
