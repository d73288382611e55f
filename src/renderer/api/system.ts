/** The kiosk's status (home screen, clock, hall online) and the event stream. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import type { KioskEvent } from '../../shared/browser.js';
import { trpc } from './client.js';

/** The status as the app shell keeps it: live through the stream, a slow poll as a safety net. */
export const useLiveSystemStatus = () =>
  useQuery({ ...trpc.system.status.queryOptions(), staleTime: Infinity, refetchInterval: 60_000 });

/** Reads the same cache (use-kiosk-status owns the one event stream that keeps it live). */
export const useSystemStatus = () => useQuery({ ...trpc.system.status.queryOptions(), staleTime: Infinity });

/** The event stream; every `status` event replaces the cached status. */
export function useEventStream(onEvent: (event: KioskEvent) => void) {
  const queryClient = useQueryClient();
  return useSubscription(
    trpc.events.stream.subscriptionOptions(undefined, {
      onData: (event) => {
        if (event.type === 'status') queryClient.setQueryData(trpc.system.status.queryKey(), event.status);
        onEvent(event);
      },
    }),
  );
}
