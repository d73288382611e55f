/**
 * What went wrong with a capture, as the resident is told it: one problem kind (an i18n key under
 * `applyFlow.capture.problems`) and the ways forward the screen offers. A scanner fault is never a
 * dead end: scan again once the cause is fixed, or take the page with the document camera.
 */
import type { CaptureError } from '../../api/index.js';

export type CaptureProblem =
  | 'jam'
  | 'feeder-empty'
  | 'door-open'
  | 'busy'
  | 'device-gone'
  | 'timeout'
  | 'scanner'
  | 'no-scanner'
  | 'blank'
  | 'image'
  | 'too-many-pages'
  | 'storage-full'
  | 'session-expired'
  | 'camera-denied'
  | 'camera-missing'
  | 'camera-failed'
  | 'failed';

export type CaptureWayForward = { retry: boolean; camera: boolean };

const SCANNER_CODES: ReadonlySet<string> = new Set([
  'jam',
  'feeder-empty',
  'door-open',
  'busy',
  'device-gone',
  'timeout',
]);

/** The backend's capture error (session.scan / session.camera, typed by the router) as a problem. */
export function problemOf(error: CaptureError): CaptureProblem {
  switch (error.kind) {
    case 'scanner':
      return SCANNER_CODES.has(error.code) ? (error.code as CaptureProblem) : 'scanner';
    case 'no-scanner':
    case 'blank':
    case 'image':
    case 'too-many-pages':
    case 'storage-full':
    case 'session-expired':
    case 'failed':
      return error.kind;
    default: {
      const never: never = error;
      return never;
    }
  }
}

/** Which buttons the message offers (the camera only where the kiosk has one). */
export function wayForward(problem: CaptureProblem, hasCamera: boolean): CaptureWayForward {
  switch (problem) {
    // Nothing to retry now: the page limit, an ended session, a full disk (neither device stores a
    // page until a technician frees space).
    case 'too-many-pages':
    case 'session-expired':
    case 'storage-full':
      return { retry: false, camera: false };
    case 'no-scanner':
    case 'device-gone':
      return { retry: true, camera: hasCamera };
    case 'camera-denied':
    case 'camera-missing':
    case 'camera-failed':
      return { retry: true, camera: false };
    case 'jam':
    case 'feeder-empty':
    case 'door-open':
    case 'busy':
    case 'timeout':
    case 'scanner':
    case 'blank':
    case 'image':
    case 'failed':
      return { retry: true, camera: hasCamera };
    default: {
      const never: never = problem;
      return never;
    }
  }
}

/** getUserMedia's DOMException names → what the resident can do about it. */
export function cameraProblem(name: string): CaptureProblem {
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'camera-denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'NotReadableError')
    return 'camera-missing';
  return 'camera-failed';
}
