/**
 * Whose card (docs/security.md, "Whose card, whose case") through the real API and the ID-card
 * simulator on a pty, read by the real driver: a card lying on the reader before a session starts
 * never identifies the session (lift-card, then it counts once placed again); a card left when a
 * session ends raises `cardLeft` in the system status (and on the event stream) until it is taken,
 * audited as card-left / card-taken; a kiosk started with a card on the reader treats it as left.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTRPCClient, httpLink } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idcard } from '../devices/index.js';
import { startKioskBackend, type KioskBackend } from './app.js';
import { loadKioskConfig } from './config.js';
import { createLogger } from './logger.js';
import type { AppRouter } from './rpc/router.js';
import { liftCard, placeCard } from './testing/place-card.js';

type Api = ReturnType<typeof createTRPCClient<AppRouter>>;
let dir: string;
let kiosk: KioskBackend;
let api: Api;

async function start(name: string, idcardUri: string): Promise<{ kiosk: KioskBackend; api: Api }> {
  const cfg = loadKioskConfig({
    argv: [],
    env: {
      KIOSK_DATA_DIR: join(dir, name),
      KIOSK_PORT: '0',
      KIOSK_IDCARD: idcardUri,
      KIOSK_SCANNER: 'none',
    },
  });
  if (!cfg.ok) throw new Error(cfg.error);
  const k = await startKioskBackend({ config: cfg.config, logger: createLogger('silent') });
  const cookie = ((await fetch(k.url)).headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const a = createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${k.url}api`, headers: () => ({ cookie }) })],
  });
  await until(() => k.devices.idcardReader()?.status().state === 'ready');
  return { kiosk: k, api: a };
}

async function until(ok: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

const actions = (k: KioskBackend) =>
  (
    k.db.prepare("SELECT action FROM audit_log WHERE action LIKE 'card-%' ORDER BY id").all() as {
      action: string;
    }[]
  ).map((r) => r.action);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zizhu-card-presence-'));
  ({ kiosk, api } = await start('kiosk', 'sim:?timing=fast'));
}, 60_000);

afterAll(async () => {
  await kiosk?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a card lying on the reader before the session', () => {
  it('is never used: identify answers lift-card; placed again, it identifies', async () => {
    const previous = await api.session.start.mutate({ trigger: 'touch' });
    await placeCard(kiosk.devices);
    expect(
      await api.session.identify.mutate({ sessionId: previous.id, role: 'applicant', timeoutMs: 2000 }),
    ).toMatchObject({ ok: true });
    // The previous resident goes; the card stays. The next one touches the screen.
    await api.session.end.mutate({ sessionId: previous.id, reason: 'finished' });
    const s = await api.session.start.mutate({ trigger: 'touch' });
    expect(
      await api.session.identify.mutate({ sessionId: s.id, role: 'applicant', timeoutMs: 2000 }),
    ).toEqual({ ok: false, error: { kind: 'lift-card' } });
    // Nor do the resident's own applications open with it.
    expect(await api.progress.mine.query({ sessionId: s.id })).toEqual({
      ok: false,
      error: { kind: 'no-identity' },
    });
    // Lifted and placed again: now it is the person at the screen who placed it.
    await liftCard(kiosk.devices);
    const waiting = api.session.identify.mutate({ sessionId: s.id, role: 'applicant', timeoutMs: 10_000 });
    await new Promise((r) => setTimeout(r, 200));
    kiosk.devices.simulators().idcard?.insertCard(idcard.SAMPLE_CARDS.resident);
    expect(await waiting).toMatchObject({
      ok: true,
      value: { session: { applicant: { nameMasked: '李*英' } } },
    });
    await api.session.end.mutate({ sessionId: s.id, reason: 'finished' });
    await liftCard(kiosk.devices);
  });

  it('a card placed on the home screen starts its own session with it (trigger card)', async () => {
    await placeCard(kiosk.devices);
    const s = await api.session.start.mutate({ trigger: 'card' });
    expect(
      await api.session.identify.mutate({ sessionId: s.id, role: 'applicant', timeoutMs: 2000 }),
    ).toMatchObject({ ok: true });
    await api.session.end.mutate({ sessionId: s.id, reason: 'finished' });
    // The same card, left: a later 'card' session may not claim it.
    const next = await api.session.start.mutate({ trigger: 'card' });
    expect(
      await api.session.identify.mutate({ sessionId: next.id, role: 'applicant', timeoutMs: 2000 }),
    ).toEqual({ ok: false, error: { kind: 'lift-card' } });
    await api.session.end.mutate({ sessionId: next.id, reason: 'home' });
    await liftCard(kiosk.devices);
  });
});

describe('a card left when the session ends', () => {
  it('raises cardLeft in the status until it is taken, audited card-left / card-taken', async () => {
    const before = actions(kiosk).length;
    expect((await api.system.status.query()).cardLeft).toBe(false);
    const s = await api.session.start.mutate({ trigger: 'touch' });
    await placeCard(kiosk.devices);
    expect(
      await api.session.identify.mutate({ sessionId: s.id, role: 'applicant', timeoutMs: 2000 }),
    ).toMatchObject({ ok: true });
    // While the resident is at the screen, the card on the reader is theirs: no alarm.
    expect((await api.system.status.query()).cardLeft).toBe(false);
    await api.session.end.mutate({ sessionId: s.id, reason: 'timeout' });
    expect((await api.system.status.query()).cardLeft).toBe(true);
    expect(actions(kiosk).slice(before)).toEqual(['card-left']);
    await liftCard(kiosk.devices);
    await until(async () => !(await api.system.status.query()).cardLeft);
    expect(actions(kiosk).slice(before)).toEqual(['card-left', 'card-taken']);
  });

  it('a session that ends with the card taken raises nothing', async () => {
    const before = actions(kiosk).length;
    const s = await api.session.start.mutate({ trigger: 'touch' });
    await placeCard(kiosk.devices);
    await api.session.identify.mutate({ sessionId: s.id, role: 'applicant', timeoutMs: 2000 });
    await liftCard(kiosk.devices);
    await api.session.end.mutate({ sessionId: s.id, reason: 'finished' });
    expect((await api.system.status.query()).cardLeft).toBe(false);
    expect(actions(kiosk).slice(before)).toEqual([]);
  });
});

describe('a kiosk started with a card on the reader', () => {
  it('treats it as left: the alarm is on, and neither a touch nor a card session may use it', async () => {
    const other = await start('restarted', 'sim:?timing=fast&card=resident');
    try {
      await until(() => other.kiosk.devices.currentCard() !== null);
      await until(async () => (await other.api.system.status.query()).cardLeft);
      for (const trigger of ['card', 'touch'] as const) {
        const s = await other.api.session.start.mutate({ trigger });
        expect(
          await other.api.session.identify.mutate({ sessionId: s.id, role: 'applicant', timeoutMs: 1000 }),
        ).toEqual({ ok: false, error: { kind: 'lift-card' } });
      }
      await liftCard(other.kiosk.devices);
      await until(async () => !(await other.api.system.status.query()).cardLeft);
      expect(actions(other.kiosk)).toEqual(['card-left', 'card-taken']);
    } finally {
      await other.kiosk.close();
    }
  }, 30_000);
});
