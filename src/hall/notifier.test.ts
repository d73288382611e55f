/**
 * The in-process notifier (the hall's default): synchronous delivery to this process's subscribers,
 * unsubscribe, one throwing subscriber does not stop the others, ids only, closed = not delivered.
 */
import { expect, it } from 'vitest';
import {
  createInProcessNotifier,
  HALL_CHANNELS,
  MAX_NOTIFY_PAYLOAD_BYTES,
  type HallChannel,
} from './notifier.js';

it('delivers synchronously to every subscriber until it unsubscribes', async () => {
  const n = createInProcessNotifier();
  const got: (string | null)[] = [];
  n.subscribe(HALL_CHANNELS.changes, () => {
    throw new Error('a subscriber bug');
  });
  const off = n.subscribe(HALL_CHANNELS.changes, (p) => got.push(p));
  const r = n.publish(HALL_CHANNELS.changes, 'k1');
  expect(got).toEqual(['k1']); // before the promise settles
  expect(await r).toEqual({ ok: true });
  off();
  await n.publish(HALL_CHANNELS.changes, 'k2');
  expect(got).toEqual(['k1']);
  expect(n.state()).toEqual({ state: 'connected' });
});

it('refuses data-sized payloads and unknown channels, and delivers nothing after close', async () => {
  const n = createInProcessNotifier();
  const got: (string | null)[] = [];
  n.subscribe(HALL_CHANNELS.changes, (p) => got.push(p));
  expect(await n.publish(HALL_CHANNELS.changes, 'é'.repeat(MAX_NOTIFY_PAYLOAD_BYTES / 2 + 1))).toMatchObject({
    ok: false,
    error: 'payload-too-large',
  });
  expect(await n.publish('nope' as HallChannel, 'k')).toMatchObject({ ok: false, error: 'unknown-channel' });
  await n.close();
  expect(await n.publish(HALL_CHANNELS.changes, 'k')).toMatchObject({ ok: false, error: 'not-delivered' });
  expect(n.state()).toEqual({ state: 'closed' });
  expect(got).toEqual([]);
});
