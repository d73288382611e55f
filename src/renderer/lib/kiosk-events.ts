/**
 * One fan-out for the backend's event stream: the stream is opened once (use-kiosk-status) and every
 * screen that cares about card or code-reader events listens here, instead of opening its own.
 */
import { useEffect, useRef } from 'react';
import type { KioskEvent } from '../../shared/browser.js';

type Listener = (event: KioskEvent) => void;
const listeners = new Set<Listener>();

export function emitKioskEvent(event: KioskEvent): void {
  for (const l of [...listeners]) l(event);
}

/** Calls `listener` for every event while the component is mounted (the latest listener wins). */
export function useKioskEvent(listener: Listener): void {
  const ref = useRef(listener);
  useEffect(() => {
    ref.current = listener;
  }, [listener]);
  useEffect(() => {
    const l: Listener = (e) => ref.current(e);
    listeners.add(l);
    return () => {
      listeners.delete(l);
    };
  }, []);
}
