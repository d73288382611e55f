/**
 * The transport under src/renderer/api (screens never import it: they call the hooks and calls of
 * api/index.ts): the typed tRPC API at /api. Queries and mutations go one
 * method per HTTP call (httpLink, no batching), the event stream over SSE (httpSubscriptionLink).
 * Authentication is the same-origin cookie the backend set when it served index.html; the technician
 * console adds its session (from tech.login) as the x-tech-session header on tech.* calls.
 */
import { QueryClient } from '@tanstack/react-query';
import { createTRPCClient, httpLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import type { AppRouter } from '../../backend/index.js';

export const API_URL = '/api';

/**
 * The technician session, in memory only (never storage: a reload or a restart asks for the PIN
 * again). The console's React state owns it and mirrors it here for the link below.
 */
let techSession: string | null = null;

export function setTechSession(session: string | null): void {
  techSession = session;
}

export function currentTechSession(): string | null {
  return techSession;
}

export const trpcClient = createTRPCClient<AppRouter>({
  links: [
    splitLink({
      condition: (op) => op.type === 'subscription',
      true: httpSubscriptionLink({ url: API_URL }),
      false: httpLink({
        url: API_URL,
        // Only the console's own calls carry the session; resident screens never send it.
        // A call may name its session in its context (logging out after the console closed).
        headers: ({ op }) => {
          if (!op.path.startsWith('tech.')) return {};
          const named = op.context.techSession;
          const session = typeof named === 'string' ? named : techSession;
          return session !== null ? { 'x-tech-session': session } : {};
        },
      }),
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
