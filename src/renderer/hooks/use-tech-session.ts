/**
 * Where the technician is: not in the console, at the PIN pad, or signed in with a session. The
 * session lives in this React state (mirrored into api.ts for the x-tech-session header) and
 * nowhere else. Leaving the console always ends the session on the backend too (tech.logout).
 */
import { useCallback, useEffect, useState } from 'react';
import { rpcErrorCode, setTechSession, techLogout, useTechCache } from '../api/index.js';
import type { PinFeedback } from '../lib/pin-pad.js';

export type TechState =
  { phase: 'closed' } | { phase: 'pin'; feedback: PinFeedback } | { phase: 'console'; session: string };

export type TechSession = {
  state: TechState;
  /** The hidden gesture: show the PIN pad. */
  openPin: () => void;
  signIn: (session: string) => void;
  /** The backend no longer knows the session: back to the PIN pad, saying why. */
  expire: () => void;
  /** Leave (返回首页 or idle): log out and close. */
  close: () => void;
};

export function useTechSession(): TechSession {
  const cache = useTechCache();
  const [state, setState] = useState<TechState>({ phase: 'closed' });

  // Nothing the console read stays in the cache for the next person at the kiosk.
  const forget = useCallback(() => {
    setTechSession(null);
    cache.forget();
  }, [cache]);

  const openPin = useCallback(() => setState({ phase: 'pin', feedback: { kind: 'none' } }), []);
  const signIn = useCallback((session: string) => {
    setTechSession(session);
    setState({ phase: 'console', session });
  }, []);
  const expire = useCallback(() => {
    forget();
    setState({ phase: 'pin', feedback: { kind: 'expired' } });
  }, [forget]);
  const close = useCallback(() => {
    if (state.phase === 'console') {
      // Fire and forget: the screen goes home at once; should the backend not hear it, the
      // session still runs out by itself.
      void techLogout(state.session);
    }
    forget();
    setState({ phase: 'closed' });
  }, [state, forget]);

  return { state, openPin, signIn, expire, close };
}

/** A tech.* query refused for want of a session sends the technician back to the PIN pad. */
export function useExpireOnUnauthorized(error: unknown, onExpired: () => void): void {
  useEffect(() => {
    if (rpcErrorCode(error) === 'UNAUTHORIZED') onExpired();
  }, [error, onExpired]);
}
