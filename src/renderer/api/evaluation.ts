/** 好差评: the content items per level, and submitting a rating. */
import { useQuery } from '@tanstack/react-query';
import { callResult } from './call.js';
import { trpc, trpcClient } from './client.js';
import type { RouterInputs } from './types.js';

export const useEvaluationItems = () => useQuery(trpc.evaluation.items.queryOptions());

export const submitEvaluation = (input: RouterInputs['evaluation']['submit']) =>
  callResult(() => trpcClient.evaluation.submit.mutate(input));
