/** 我要办事: the apply plan, submitting, printing the receipts, a 即办件's decision. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { ApplyTarget } from '../../shared/browser.js';
import { callResult, callValue } from './call.js';
import { trpc, trpcClient } from './client.js';
import type { RouterInputs } from './types.js';

/** A session id the backend parses but never holds: the plan query waits (disabled) until there is one. */
const NO_SESSION = '00000000-0000-4000-8000-000000000000';
const NO_TARGET: ApplyTarget = { kind: 'item', code: '-' };

/** The plan of a target for this session: a Result (a lapsed session is its `session-expired` error). */
export const usePlan = (sessionId: string | null, target: ApplyTarget | null, enabled: boolean) =>
  useQuery({
    ...trpc.application.plan.queryOptions({
      sessionId: sessionId ?? NO_SESSION,
      target: target ?? NO_TARGET,
    }),
    enabled: enabled && sessionId !== null && target !== null,
    staleTime: 60_000,
  });

/** Forget every plan (they belong to the applicant read; a new card means new e-licences). */
export function useForgetPlans(): () => void {
  const queryClient = useQueryClient();
  return useCallback(
    () => void queryClient.invalidateQueries({ queryKey: trpc.application.plan.pathKey() }),
    [queryClient],
  );
}

export const submitApplication = (input: RouterInputs['application']['submit']) =>
  callResult(() => trpcClient.application.submit.mutate(input));

/** The session that submitted: its receipts carry the access codes issued to it. */
export const printSubmission = (sessionId: string | null, submissionId: string, lang: 'zh' | 'en') =>
  callValue(() =>
    trpcClient.application.print.mutate({ submissionId, lang, ...(sessionId ? { sessionId } : {}) }),
  );

export const awaitDecision = (sessionId: string, applicationId: string, lang: 'zh' | 'en') =>
  callResult(() => trpcClient.application.awaitDecision.mutate({ sessionId, applicationId, lang }));
