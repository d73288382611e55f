/** 排队取号: people waiting per window, issuing and reprinting a ticket. */
import { useQuery } from '@tanstack/react-query';
import type { WindowCode } from '../../shared/browser.js';
import { callResult } from './call.js';
import { trpc, trpcClient } from './client.js';

/** Asked of the hall's queue service only while the hall is online. */
export const useQueueWaiting = (online: boolean) =>
  useQuery({ ...trpc.queue.waiting.queryOptions(), enabled: online, refetchInterval: 15_000, staleTime: 0 });

export const issueTicket = (window: WindowCode, idempotencyKey: string, lang: 'zh' | 'en') =>
  callResult(() => trpcClient.queue.issue.mutate({ window, idempotencyKey, lang }));

export const reprintTicket = (id: string, lang: 'zh' | 'en') =>
  callResult(() => trpcClient.queue.reprint.mutate({ id, lang }));
