import { describe, expect, it } from 'vitest';
import type { SessionView } from '../../../shared/browser.js';
import { cameraProblem, problemOf, wayForward } from './capture-problem.js';

/** A capture fault carries the session as it is now (pages scanned before a fault are kept). */
const session: SessionView = {
  id: '00000000-0000-4000-8000-000000000001',
  startedAt: '2026-11-26T08:00:00.000Z',
  mode: 'self',
  applicant: null,
  helper: null,
  prefill: { values: {}, locked: [] },
  captured: {},
};

describe('capture problems', () => {
  it('names scanner faults, and keeps unknown ones generic', () => {
    expect(problemOf({ kind: 'scanner', code: 'jam', message: '', session })).toBe('jam');
    expect(problemOf({ kind: 'scanner', code: 'door-open', message: '', session })).toBe('door-open');
    expect(problemOf({ kind: 'scanner', code: 'protocol', message: '', session })).toBe('scanner');
    expect(problemOf({ kind: 'blank', session })).toBe('blank');
    expect(problemOf({ kind: 'no-scanner', session })).toBe('no-scanner');
    expect(problemOf({ kind: 'too-many-pages', limit: 20, session })).toBe('too-many-pages');
    expect(problemOf({ kind: 'failed', code: null })).toBe('failed');
    expect(problemOf({ kind: 'session-expired' })).toBe('session-expired');
    expect(problemOf({ kind: 'storage-full', session })).toBe('storage-full');
  });

  it('always offers a way forward for a scanner fault', () => {
    expect(wayForward('jam', true)).toEqual({ retry: true, camera: true });
    expect(wayForward('jam', false)).toEqual({ retry: true, camera: false });
    expect(wayForward('no-scanner', true)).toEqual({ retry: true, camera: true });
    expect(wayForward('too-many-pages', true)).toEqual({ retry: false, camera: false });
    expect(wayForward('camera-denied', true)).toEqual({ retry: true, camera: false });
    expect(wayForward('session-expired', true)).toEqual({ retry: false, camera: false });
    // A full disk: neither the scanner nor the camera can store a page; the message sends to staff.
    expect(wayForward('storage-full', true)).toEqual({ retry: false, camera: false });
  });

  it('maps getUserMedia errors', () => {
    expect(cameraProblem('NotAllowedError')).toBe('camera-denied');
    expect(cameraProblem('NotFoundError')).toBe('camera-missing');
    expect(cameraProblem('AbortError')).toBe('camera-failed');
  });
});
