/**
 * The renderer's only way to the backend: the typed tRPC API at /api. Queries and mutations go one
 * method per HTTP call (httpLink, no batching), the event stream over SSE (httpSubscriptionLink).
 * Authentication is the same-origin cookie the backend set when it served index.html.
 */
import { QueryClient } from '@tanstack/react-query';
import { createTRPCClient, httpLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../backend/index.js';

export const API_URL = '/api';

export const trpcClient = createTRPCClient<AppRouter>({
  links: [
    splitLink({
      condition: (op) => op.type === 'subscription',
      true: httpSubscriptionLink({ url: API_URL }),
      false: httpLink({ url: API_URL }),
    }),
  ],
});

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // The backend is on loopback: "offline" (no internet) must not pause queries, which is what
      // the default networkMode would do when the hall network is down.
      networkMode: 'always',
      retry: 1,
      retryDelay: 500,
      // The catalog changes only when the hall sends an update; no refetch on every screen.
      staleTime: 5 * 60_000,
      refetchOnWindowFocus: false,
    },
  },
});

export const trpc = createTRPCOptionsProxy<AppRouter>({ client: trpcClient, queryClient });

export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type SystemStatusOut = RouterOutputs['system']['status'];
export type WindowOut = RouterOutputs['catalog']['windows'][number];
export type ItemSummaryOut = RouterOutputs['catalog']['items'][number];
export type ServiceItemOut = RouterOutputs['catalog']['item'];
export type BundleOut = RouterOutputs['catalog']['bundles'][number];
export type BundleDetailOut = RouterOutputs['catalog']['bundle'];
