import { EventEmitter, on } from 'node:events';
import type { KioskEvent } from '../shared/index.js';
import type { CaseStatusEvent } from './services/kiosk-records.js';

/** In-process event bus from services to the event stream (and so to the renderer). */
export function createEventBus() {
  const emitter = new EventEmitter();
  // Every open event stream is a listener; a kiosk has one or two, tests a few more.
  emitter.setMaxListeners(100);
  return {
    publish(event: KioskEvent): void {
      emitter.emit('event', event);
    },
    /** Events published after the call, until the signal aborts. */
    async *subscribe(signal?: AbortSignal): AsyncGenerator<KioskEvent> {
      try {
        for await (const [event] of on(emitter, 'event', { signal })) yield event as KioskEvent;
      } catch (e) {
        if ((e as Error).name !== 'AbortError') throw e;
      }
    },
    listenerCount: (): number => emitter.listenerCount('event'),
  };
}
export type EventBus = ReturnType<typeof createEventBus>;

/**
 * Case statuses as they arrive from the hall (announced by kiosk-records.ts after the sync
 * transaction commits): what the 即办件 wait listens to instead of polling the store. In-process and
 * never sent to the renderer (it carries application ids).
 */
export function createCaseStatusFeed() {
  const emitter = new EventEmitter();
  // One listener per resident waiting for a decision; a kiosk has one resident at a time.
  emitter.setMaxListeners(100);
  return {
    publish: (e: CaseStatusEvent): void => {
      emitter.emit('status', e);
    },
    /** Calls `listener` for every status from now on; returns the unsubscribe. */
    subscribe: (listener: (e: CaseStatusEvent) => void): (() => void) => {
      emitter.on('status', listener);
      return () => emitter.off('status', listener);
    },
  };
}
export type CaseStatusFeed = ReturnType<typeof createCaseStatusFeed>;
