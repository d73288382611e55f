/**
 * Whether the kiosk is online with the hall right now. Reads the status the app shell keeps live
 * (use-kiosk-status owns the one event stream; this only reads the same query cache).
 */
import { useQuery } from '@tanstack/react-query';
import { trpc } from '../api.js';

export function useHallOnline(): boolean {
  const status = useQuery({ ...trpc.system.status.queryOptions(), staleTime: Infinity });
  return status.data?.network.state === 'online';
}
