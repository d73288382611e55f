/** 排队取号: people waiting per window, opening hours, issuing and reprinting a ticket. */
import { useQuery } from '@tanstack/react-query';
import type { PriorityKind, WindowCode } from '../../shared/browser.js';
import { callResult } from './call.js';
import { trpc, trpcClient } from './client.js';

/** Asked of the hall's queue service only while the hall is online. */
export const useQueueWaiting = (online: boolean) =>
  useQuery({ ...trpc.queue.waiting.queryOptions(), enabled: online, refetchInterval: 15_000, staleTime: 0 });

/** Every window's hours today, open now or not, next opening; refreshed each minute (the hour turns). */
export const useQueueHours = () =>
  useQuery({ ...trpc.queue.hours.queryOptions(), refetchInterval: 60_000, staleTime: 0 });

/** Whether this session's ID card shows 60 or over (only yes/no; never the birth date). */
export const useElderlyOffer = (sessionId: string | null, hasCard: boolean) =>
  useQuery({
    ...trpc.queue.priorityOffer.queryOptions({
      sessionId: sessionId ?? '00000000-0000-4000-8000-000000000000',
    }),
    enabled: sessionId !== null && hasCard,
    staleTime: 0,
  });

export const issueTicket = (
  window: WindowCode,
  idempotencyKey: string,
  lang: 'zh' | 'en',
  priority: PriorityKind | null = null,
) =>
  callResult(() =>
    trpcClient.queue.issue.mutate({ window, idempotencyKey, lang, ...(priority ? { priority } : {}) }),
  );

export const reprintTicket = (id: string, lang: 'zh' | 'en') =>
  callResult(() => trpcClient.queue.reprint.mutate({ id, lang }));
