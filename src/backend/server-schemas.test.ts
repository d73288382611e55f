/**
 * fastify's schema compilers (ajv, fast-json-stringify) are no longer loaded with the server; a route
 * that declares JSON schemas must still be validated and serialised by them, loaded on demand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import type { RpcContext } from './rpc/trpc.js';
import { createServer } from './server.js';

let server: Awaited<ReturnType<typeof createServer>>;

beforeAll(async () => {
  server = await createServer({
    // The route below never reaches tRPC, so no services are needed.
    context: {} as RpcContext,
    logger: createLogger('silent'),
    rendererDir: '/nonexistent',
    token: 'test-token',
  });
  server.setPort(80); // inject() sends Host: localhost:80, which the request guard then accepts
  server.app.post(
    '/echo',
    {
      schema: {
        body: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } },
        response: { 200: { type: 'object', properties: { n: { type: 'integer' } } } },
      },
    },
    (req) => ({ n: (req.body as { n: number }).n, notInSchema: true }),
  );
  await server.app.ready();
});

afterAll(() => server.app.close());

describe('route schemas', () => {
  it('refuses a body the schema refuses', async () => {
    const res = await server.app.inject({ method: 'POST', url: '/echo', payload: { n: 'two' } });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ message: string }>().message).toMatch(/body\/n must be integer/);
  });

  it('serialises the reply with the response schema (fields outside it are dropped)', async () => {
    const res = await server.app.inject({ method: 'POST', url: '/echo', payload: { n: 2 } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('{"n":2}');
  });
});
