import { initTRPC } from '@trpc/server';
import type { CatalogService } from '../services/catalog.js';
import type { StatusService } from '../services/status.js';
import type { EventBus } from '../events.js';
import type { Logger } from '../logger.js';

/** What every procedure can reach. Built once per backend, shared by all requests. */
export type RpcContext = {
  catalog: CatalogService;
  status: StatusService;
  bus: EventBus;
  logger: Logger;
  clock: () => Date;
  version: string;
};

export const t = initTRPC.context<RpcContext>().create({
  sse: {
    // Keep the stream alive through idle hours; the client reconnects by itself after a drop.
    ping: { enabled: true, intervalMs: 15_000 },
    client: { reconnectAfterInactivityMs: 30_000 },
  },
});
