/** 进度查询 (and the lists 服务评价 picks from): find, read, reprint, 补正. */
import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { ok, type ApplicationDetail } from '../../shared/browser.js';
import { callResult } from './call.js';
import { trpc, trpcClient } from './client.js';

/** The identified applicant's applications: a Result (a lapsed session is its error). */
export const useMyApplications = (sessionId: string | null) =>
  useQuery({
    ...trpc.progress.mine.queryOptions({ sessionId: sessionId ?? '' }),
    enabled: sessionId !== null,
    staleTime: 0,
  });

/** One application, always fresh from the backend (optionally polled while it is shown): a Result. */
export const useApplication = (id: string, refetchInterval?: number) =>
  useQuery({ ...trpc.progress.detail.queryOptions({ id }), staleTime: 0, refetchInterval });

export const useApplications = (ids: readonly string[]) =>
  useQueries({
    queries: ids.map((id) => ({ ...trpc.progress.detail.queryOptions({ id }), staleTime: 0 })),
  });

/** The cached details: remember one just read elsewhere, or read one again. */
export function useApplicationCache() {
  const queryClient = useQueryClient();
  return useMemo(
    () => ({
      remember: (detail: ApplicationDetail) =>
        queryClient.setQueryData(trpc.progress.detail.queryKey({ id: detail.id }), ok(detail)),
      refresh: (id: string) =>
        void queryClient.invalidateQueries({ queryKey: trpc.progress.detail.queryKey({ id }) }),
    }),
    [queryClient],
  );
}

/** The application of a receipt number typed or scanned; `not-found` when this kiosk has none by it. */
export const findByReceipt = (receiptNo: string) =>
  callResult(() => trpcClient.progress.byReceipt.query({ receiptNo }));

export const reprintReceipt = (id: string, lang: 'zh' | 'en') =>
  callResult(() => trpcClient.progress.reprint.mutate({ id, lang }));

export const submitSupplement = (sessionId: string, applicationId: string, idempotencyKey: string) =>
  callResult(() => trpcClient.progress.supplement.mutate({ sessionId, applicationId, idempotencyKey }));
