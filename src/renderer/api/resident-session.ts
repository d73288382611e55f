/**
 * The resident's session: start and end it, read the ID card for a role, 本人/帮办 mode, and the
 * material pages captured in it (scanner, document camera, remove). Every call answers a value; a
 * lapsed session is the returned `{ kind: 'session-expired' }` of each procedure's Result.
 */
import type { EndReason, SessionRole } from '../../shared/browser.js';
import { callResult, callValue } from './call.js';
import { trpcClient } from './client.js';
import type { CallFailed, ErrorOf } from './errors.js';
import type { RouterOutputs } from './types.js';

type Session = RouterOutputs['session'];

/** Throws when the backend cannot be reached: the session context decides what that means. */
export const startSession = (trigger: 'touch' | 'card') => trpcClient.session.start.mutate({ trigger });

export const endSession = (sessionId: string | null, reason: EndReason) =>
  callValue(() => trpcClient.session.end.mutate({ sessionId, reason }));

export const identify = (sessionId: string, role: SessionRole, timeoutMs: number) =>
  callResult(() => trpcClient.session.identify.mutate({ sessionId, role, timeoutMs }));

export const setMode = (sessionId: string, mode: 'self' | 'assisted') =>
  callResult(() => trpcClient.session.setMode.mutate({ sessionId, mode }));

export const scanPages = (sessionId: string, material: string) =>
  callResult(() => trpcClient.session.scan.mutate({ sessionId, material }));

export const cameraPage = (sessionId: string, material: string, image: string) =>
  callResult(() => trpcClient.session.camera.mutate({ sessionId, material, image }));

export const removePage = (sessionId: string, material: string, sha256: string) =>
  callResult(() => trpcClient.session.removePage.mutate({ sessionId, material, sha256 }));

/** Why reading the card gave no identity, as the router says it (or the call failed). */
export type IdentifyError = ErrorOf<Session['identify']> | CallFailed;

/** Why switching 本人/帮办 did not happen, as the router says it (or the call failed). */
export type SetModeError = ErrorOf<Session['setMode']> | CallFailed;

/** Why a capture (scanner, document camera, removing a page) did not go through. */
export type CaptureError = ErrorOf<Session['scan'] | Session['camera'] | Session['removePage']> | CallFailed;
