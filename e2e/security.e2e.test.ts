/**
 * The backend defends itself against the browser it serves: a foreign Host (DNS rebinding) and a
 * foreign origin are refused, and the API needs the per-boot cookie only the kiosk page receives.
 */
import { request } from 'node:http';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, startKiosk, type Kiosk } from './harness.js';

let kiosk: Kiosk;
let browser: Browser;
let page: Page;
let evil: Server;
let evilUrl: string;

function get(
  port: number,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, setHost: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  kiosk = await startKiosk();
  ({ browser, page } = await launchBrowser());
  // A hostile page on another loopback port: same machine, different origin.
  evil = createServer((_req, res) => res.end('<!doctype html><title>evil</title>'));
  await new Promise<void>((r) => evil.listen(0, '127.0.0.1', r));
  const addr = evil.address();
  evilUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/`;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await kiosk?.stop();
  await new Promise((r) => evil?.close(r));
});

describe('backend request guard', () => {
  it('refuses a request whose Host is not its own loopback address and port', async () => {
    const port = kiosk.backend.port;
    const own = await get(port, '/', { host: `127.0.0.1:${port}` });
    expect(own.status).toBe(200);
    const rebound = await get(port, '/', { host: `kiosk.attacker.example:${port}` });
    expect(rebound.status).toBe(421);
    expect(rebound.body).toMatch(/Host/);
    const otherPort = await get(port, '/api/system.status', { host: `127.0.0.1:${port + 1}` });
    expect(otherPort.status).toBe(421);
  });

  it('serves the API to the kiosk page but not to a page of another origin', async () => {
    await page.goto(kiosk.url);
    const own = await page.evaluate(async () => (await fetch('/api/system.info')).status);
    expect(own).toBe(200);

    await page.goto(evilUrl);
    const target = `${kiosk.url}api/system.info`;
    const foreign = await page.evaluate(async (url) => {
      try {
        const res = await fetch(url, { credentials: 'include' });
        return `status ${res.status}`;
      } catch (e) {
        return `blocked ${(e as Error).name}`;
      }
    }, target);
    // Either the server refuses it (403) or, with no CORS header, the browser hides the answer.
    expect(foreign).not.toBe('status 200');
    const noCors = await page.evaluate(async (url) => {
      const res = await fetch(url, { mode: 'no-cors', credentials: 'include' });
      return res.type;
    }, target);
    expect(noCors).toBe('opaque');
  });
});
