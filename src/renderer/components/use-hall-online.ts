/**
 * Whether the kiosk is online with the hall right now. Reads the status the app shell keeps live
 * (use-kiosk-status owns the one event stream; this only reads the same query cache).
 */
import { useSystemStatus } from '../api/index.js';

export function useHallOnline(): boolean {
  const status = useSystemStatus();
  return status.data?.network.state === 'online';
}
