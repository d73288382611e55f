import { EventEmitter, on } from 'node:events';
import type { KioskEvent } from '../shared/index.js';

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
