/**
 * The kiosk's health, kept live: the `system.status` query gives the first picture, and every
 * `status` event from the event stream (the first one is the full status) replaces it in the cache.
 */
import { useEventStream, useLiveSystemStatus, type SystemStatusOut } from '../api/index.js';
import { clockOffset } from '../lib/format.js';
import { emitKioskEvent } from '../lib/kiosk-events.js';

export type KioskStatus = {
  status: SystemStatusOut | undefined;
  /** Failed to read and nothing to show. */
  failed: boolean;
  /** The event stream dropped; the client is reconnecting. */
  reconnecting: boolean;
  /** Add to Date.now() to get the backend's clock. */
  offsetMs: number;
  retry: () => void;
};

export function useKioskStatus(): KioskStatus {
  // Live through the stream; a slow poll only as a safety net if the stream is down for long.
  const query = useLiveSystemStatus();
  const stream = useEventStream(emitKioskEvent);
  const status = query.data;
  return {
    status,
    failed: status === undefined && query.isError,
    reconnecting: stream.status === 'connecting' && stream.error !== null,
    offsetMs: status ? clockOffset(status.now, query.dataUpdatedAt) : 0,
    retry: () => {
      void query.refetch();
      stream.reset();
    },
  };
}
