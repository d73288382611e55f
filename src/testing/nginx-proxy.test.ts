/**
 * nginx in front of two nodes (nginx-proxy.ts, the config docs/deployment.md prints), for real:
 * two upstream HTTP servers in child processes, one killed with SIGKILL in the middle of a bounded
 * run of requests — every request still gets its answer (idempotent GETs go to the other node);
 * a long-poll outlives nginx's defaults and event-stream bytes pass through unbuffered; a reload to
 * one upstream sends everything there; a missing binary fails loudly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { startNginxProxy, type NginxProxy } from './nginx-proxy.js';

/**
 * A tiny node: answers GET /who with its name after a few ms (so requests are in flight when it
 * dies), prints its port on stdout. Plain JS for `node -e`.
 */
const UPSTREAM = `
const http = require('node:http');
const name = process.argv[1];
const s = http.createServer((req, res) => {
  setTimeout(() => { res.setHeader('content-type', 'text/plain'); res.end(name + ' ' + req.url); }, 5);
});
s.listen(0, '127.0.0.1', () => process.stdout.write(String(s.address().port) + '\\n'));
`;

type Upstream = { name: string; port: number; child: ChildProcess };
let children: ChildProcess[] = [];
let proxies: NginxProxy[] = [];
let servers: Server[] = [];
afterEach(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  children = [];
  await Promise.all(proxies.map((p) => p.stop()));
  proxies = [];
  await Promise.all(servers.map((s) => new Promise((r) => (s.close(r), s.closeAllConnections()))));
  servers = [];
});

async function upstream(name: string): Promise<Upstream> {
  const child = spawn(process.execPath, ['-e', UPSTREAM, name], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start`)), 10_000);
    child.stdout?.once('data', (b: Buffer) => {
      clearTimeout(timer);
      resolve(Number(b.toString('utf8').trim()));
    });
  });
  return { name, port, child };
}

async function proxy(ports: number[], readTimeoutS?: number): Promise<NginxProxy> {
  const p = await startNginxProxy({ upstreamPorts: ports, ...(readTimeoutS ? { readTimeoutS } : {}) });
  proxies.push(p);
  return p;
}

it('answers every request while one of two nodes is killed with SIGKILL mid-run', async () => {
  const a = await upstream('A');
  const b = await upstream('B');
  const p = await proxy([a.port, b.port]);

  const TOTAL = 300;
  const IN_FLIGHT = 6;
  const KILL_AFTER = 80;
  const answers: { i: number; status: number; by: string }[] = [];
  const failures: string[] = [];
  let next = 0;
  let killedAt = -1;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= TOTAL) return;
      try {
        const r = await fetch(`${p.url}who?i=${i}`, { signal: AbortSignal.timeout(10_000) });
        const text = await r.text();
        answers.push({ i, status: r.status, by: text.split(' ')[0] ?? '' });
      } catch (e) {
        failures.push(`${i}: ${(e as Error).message}`);
      }
      if (answers.length >= KILL_AFTER && killedAt < 0) {
        killedAt = answers.length;
        a.child.kill('SIGKILL');
      }
    }
  };
  const t0 = Date.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const ms = Date.now() - t0;

  expect(failures).toEqual([]);
  expect(answers).toHaveLength(TOTAL);
  expect(answers.every((x) => x.status === 200)).toBe(true);
  expect(new Set(answers.map((x) => x.i)).size).toBe(TOTAL);
  expect(killedAt).toBeGreaterThanOrEqual(KILL_AFTER);
  if (a.child.exitCode === null && a.child.signalCode === null) await once(a.child, 'exit');
  expect(a.child.signalCode).toBe('SIGKILL');
  // Both served before the kill; after it, only B could (the last answers all came from B).
  const byA = answers.filter((x) => x.by === 'A').length;
  expect(byA).toBeGreaterThan(0);
  expect(byA).toBeLessThan(KILL_AFTER + IN_FLIGHT);
  expect(answers.slice(-100).every((x) => x.by === 'B')).toBe(true);
  expect(ms).toBeLessThan(15_000);
});

it('passes a held long-poll through, and event-stream bytes unbuffered', async () => {
  // In-process upstream: /poll answers after 1.5 s; /sse sends one event at once and ends after 1.5 s.
  const s = createServer((req, res) => {
    if (req.url === '/poll') {
      setTimeout(() => res.end('{"changed":true}'), 1500);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write('data: first\n\n');
    setTimeout(() => res.end('data: last\n\n'), 1500);
  });
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const address = s.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const p = await proxy([port]);

  const t0 = Date.now();
  const poll = await fetch(`${p.url}poll`);
  expect(await poll.text()).toBe('{"changed":true}');
  expect(Date.now() - t0).toBeGreaterThanOrEqual(1400);

  const t1 = Date.now();
  const sse = await fetch(`${p.url}sse`);
  const reader = sse.body?.getReader();
  if (!reader) throw new Error('no body');
  const first = await reader.read();
  // The first event arrives long before the stream ends: nginx did not hold it back.
  expect(Buffer.from(first.value ?? new Uint8Array()).toString('utf8')).toContain('data: first');
  expect(Date.now() - t1).toBeLessThan(1000);
  await reader.cancel();
});

it('reloads to a new upstream list without dropping its port', async () => {
  const a = await upstream('A');
  const b = await upstream('B');
  const p = await proxy([a.port]);
  const who = async () => (await (await fetch(`${p.url}who`)).text()).split(' ')[0];
  expect(await who()).toBe('A');
  await p.reload([b.port]);
  expect(p.config()).toContain(`server 127.0.0.1:${b.port}`);
  expect(p.config()).not.toContain(`server 127.0.0.1:${a.port}`);
  for (let i = 0; i < 10; i++) expect(await who()).toBe('B');
});

it('stops cleanly (no directory left) and fails loudly without the binary', async () => {
  const a = await upstream('A');
  const p = await startNginxProxy({ upstreamPorts: [a.port] });
  await p.stop();
  await p.stop();
  expect(existsSync(p.dir)).toBe(false);
  await expect(fetch(p.url)).rejects.toThrow();
  await expect(startNginxProxy({ upstreamPorts: [a.port], bin: '/nonexistent/nginx' })).rejects.toThrow(
    /\/nonexistent\/nginx not found.*scripts\/install\.sh/,
  );
});
