/**
 * The resident's session: start and end it, read the ID card for a role, 本人/帮办 mode, and the
 * material pages captured in it (scanner, document camera, remove). Every call answers a value.
 */
import type { EndReason, SessionRole } from '../../shared/browser.js';
import { callValue, sessionCallResult, sessionCallValue } from './call.js';
import { trpcClient } from './client.js';
import type { CallError, ErrorOf, WithoutLapse } from './errors.js';
import type { RouterOutputs } from './types.js';

type Session = RouterOutputs['session'];

/** Throws when the backend cannot be reached: the session context decides what that means. */
export const startSession = (trigger: 'touch' | 'card') => trpcClient.session.start.mutate({ trigger });

export const endSession = (sessionId: string | null, reason: EndReason) =>
  callValue(() => trpcClient.session.end.mutate({ sessionId, reason }));

export const identify = (sessionId: string, role: SessionRole, timeoutMs: number) =>
  sessionCallResult(() => trpcClient.session.identify.mutate({ sessionId, role, timeoutMs }));

export const setMode = (sessionId: string, mode: 'self' | 'assisted') =>
  sessionCallValue(() => trpcClient.session.setMode.mutate({ sessionId, mode }));

export const scanPages = (sessionId: string, material: string) =>
  sessionCallResult(() => trpcClient.session.scan.mutate({ sessionId, material }));

export const cameraPage = (sessionId: string, material: string, image: string) =>
  sessionCallResult(() => trpcClient.session.camera.mutate({ sessionId, material, image }));

export const removePage = (sessionId: string, material: string, sha256: string) =>
  sessionCallValue(() => trpcClient.session.removePage.mutate({ sessionId, material, sha256 }));

/** Why a capture (scanner or document camera) added no page, as the router says it. */
export type CaptureError = WithoutLapse<ErrorOf<Session['scan'] | Session['camera']>> | CallError;
