import { describe, expect, it } from 'vitest';
import { FakeIdCardReader } from './fake.js';
import type { IdCardEvent } from './types.js';

describe('FakeIdCardReader (for consumers’ unit tests)', () => {
  it('emits what its controls say, to subscribers until they unsubscribe', async () => {
    const fake = new FakeIdCardReader({
      state: 'disconnected',
      reason: 'open-failed',
      message: 'unplugged',
      retryInMs: 250,
    });
    const events: IdCardEvent[] = [];
    const off = fake.subscribe((e) => events.push(e));
    expect(fake.status().state).toBe('disconnected');
    fake.start();
    fake.setStatus({ state: 'ready', samId: null });
    fake.failCard('select-failed');
    fake.removeCard();
    off();
    fake.removeCard();
    expect(events.map((e) => e.type)).toEqual(['status', 'card-error', 'card-removed']);
    await fake.stop();
    expect(fake.status()).toEqual({ state: 'stopped' });
    expect(fake.isRunning).toBe(false);
  });

  it('gives a card-present event a 1024-byte placeholder photo when none is given', () => {
    const fake = new FakeIdCardReader();
    let photoBytes = -1;
    fake.subscribe((e) => {
      if (e.type === 'card-present') photoBytes = e.photo.byteLength;
    });
    fake.presentCard({
      cardType: 'foreign2023',
      name: '玛丽亚',
      sex: 'female',
      nation: null,
      birthDate: '1988-03-15',
      address: null,
      idNumber: '931724198803150016',
      authority: '国家移民管理局',
      validFrom: '2023-12-01',
      validTo: '2033-12-01',
      chineseName: '玛丽亚',
      englishName: 'GONZALEZ LOPEZ DE LA CRUZ, MARIA ISABEL',
      nationality: 'ESP',
      renewalCount: 0,
    });
    expect(photoBytes).toBe(1024);
  });
});
