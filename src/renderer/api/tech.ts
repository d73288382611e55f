/**
 * The technician console and the simulator panel. Their calls carry the console's session (the
 * x-tech-session header, client.ts); a call the backend refuses as UNAUTHORIZED sends the technician
 * back to the PIN pad (`useExpireOnUnauthorized`, hooks/use-tech-session.ts). Mutations take the
 * same callbacks as react-query's (onMutate, onSuccess, onError, onSettled).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { trpc, trpcClient } from './client.js';

type Opts<F extends (opts?: never) => unknown> = Parameters<F>[0];

export const useTechOverview = () =>
  // Serial ports and recent faults change without an event: a slow poll keeps them current.
  useQuery({ ...trpc.tech.overview.queryOptions(), staleTime: 0, refetchInterval: 15_000 });
export const useTechPreviews = (limit: number) =>
  useQuery({ ...trpc.tech.previews.queryOptions({ limit }), staleTime: 0 });
export const useTechSyncStatus = () =>
  useQuery({ ...trpc.tech.syncStatus.queryOptions(), refetchInterval: 5000 });

export const useTechLogin = () => useMutation(trpc.tech.login.mutationOptions());
/** Logs out a session (named: the console may already be closed); failures are of no interest. */
export const techLogout = (session: string) =>
  trpcClient.tech.logout.mutate(undefined, { context: { techSession: session } }).then(
    () => undefined,
    () => undefined,
  );

export const useSetDevice = (o?: Opts<typeof trpc.tech.setDevice.mutationOptions>) =>
  useMutation(trpc.tech.setDevice.mutationOptions(o));
export const useReadCardTest = (o?: Opts<typeof trpc.tech.readCard.mutationOptions>) =>
  useMutation(trpc.tech.readCard.mutationOptions(o));
export const usePrintTest = (o?: Opts<typeof trpc.tech.printTest.mutationOptions>) =>
  useMutation(trpc.tech.printTest.mutationOptions(o));
export const useScanTest = (o?: Opts<typeof trpc.tech.scanTest.mutationOptions>) =>
  useMutation(trpc.tech.scanTest.mutationOptions(o));
export const useTicketTest = (o?: Opts<typeof trpc.tech.ticketTest.mutationOptions>) =>
  useMutation(trpc.tech.ticketTest.mutationOptions(o));
export const useCameraTest = (o?: Opts<typeof trpc.tech.cameraTest.mutationOptions>) =>
  useMutation(trpc.tech.cameraTest.mutationOptions(o));
export const useSyncEnroll = (o?: Opts<typeof trpc.tech.syncEnroll.mutationOptions>) =>
  useMutation(trpc.tech.syncEnroll.mutationOptions(o));

export const useSimState = () =>
  useQuery({ ...trpc.sim.state.queryOptions(), staleTime: 0, refetchInterval: 5000 });
export const useSimInsertCard = () => useMutation(trpc.sim.insertCard.mutationOptions());
export const useSimRemoveCard = () => useMutation(trpc.sim.removeCard.mutationOptions());
export const useSimIdcardFault = () => useMutation(trpc.sim.idcardFault.mutationOptions());
export const useSimPrinterStatus = () => useMutation(trpc.sim.setPrinterStatus.mutationOptions());
export const useSimScanner = () => useMutation(trpc.sim.scanner.mutationOptions());
export const useSimScanCode = () => useMutation(trpc.sim.scanCode.mutationOptions());

/** What the console read goes stale: after a device change, a test print, a simulator action. */
export function useTechCache() {
  const queryClient = useQueryClient();
  return useMemo(
    () => ({
      /** Everything of the console and the simulators. */
      all: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.tech.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.sim.pathKey() });
      },
      overview: () => void queryClient.invalidateQueries({ queryKey: trpc.tech.overview.queryKey() }),
      previews: () => void queryClient.invalidateQueries({ queryKey: trpc.tech.previews.pathKey() }),
      sim: () => void queryClient.invalidateQueries({ queryKey: trpc.sim.pathKey() }),
      /** Nothing the console read stays in the cache for the next person at the kiosk. */
      forget: () => {
        queryClient.removeQueries({ queryKey: trpc.tech.pathKey() });
        queryClient.removeQueries({ queryKey: trpc.sim.pathKey() });
      },
    }),
    [queryClient],
  );
}
