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

/**
 * One application, always fresh from the backend (optionally polled while it is shown): a Result.
 * Answered only to a session that may see it (the applicant's card, or the receipt's access code
 * entered in it): `access-denied` otherwise.
 */
export const useApplication = (sessionId: string | null, id: string, refetchInterval?: number) =>
  useQuery({
    ...trpc.progress.detail.queryOptions({ sessionId: sessionId ?? '', id }),
    enabled: sessionId !== null,
    staleTime: 0,
    refetchInterval,
  });

export const useApplications = (sessionId: string | null, ids: readonly string[]) =>
  useQueries({
    queries: ids.map((id) => ({
      ...trpc.progress.detail.queryOptions({ sessionId: sessionId ?? '', id }),
      enabled: sessionId !== null,
      staleTime: 0,
    })),
  });

/** The cached details of this session: remember one just read elsewhere, or read one again. */
export function useApplicationCache(sessionId: string | null) {
  const queryClient = useQueryClient();
  return useMemo(
    () => ({
      remember: (detail: ApplicationDetail) =>
        queryClient.setQueryData(
          trpc.progress.detail.queryKey({ sessionId: sessionId ?? '', id: detail.id }),
          ok(detail),
        ),
      refresh: (id: string) =>
        void queryClient.invalidateQueries({
          queryKey: trpc.progress.detail.queryKey({ sessionId: sessionId ?? '', id }),
        }),
    }),
    [queryClient, sessionId],
  );
}

/**
 * A receipt number typed or scanned: the status only, or the application when the session's card is
 * the applicant's or the access code (typed, or from the QR) matches. `not-found`, `access-denied`
 * (a wrong code) and `too-many-attempts` are values.
 */
export const findByReceipt = (sessionId: string, receiptNo: string, accessCode?: string) =>
  callResult(() =>
    trpcClient.progress.byReceipt.query({
      sessionId,
      receiptNo,
      ...(accessCode !== undefined ? { accessCode } : {}),
    }),
  );

export const reprintReceipt = (sessionId: string, id: string, lang: 'zh' | 'en') =>
  callResult(() => trpcClient.progress.reprint.mutate({ sessionId, id, lang }));

export const submitSupplement = (sessionId: string, applicationId: string, idempotencyKey: string) =>
  callResult(() => trpcClient.progress.supplement.mutate({ sessionId, applicationId, idempotencyKey }));
