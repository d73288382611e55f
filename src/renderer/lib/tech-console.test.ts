import { describe, expect, it } from 'vitest';
import type { DeviceStatus } from '../../shared/browser.js';
import {
  formatDateTime,
  formatTimeOfDay,
  isDeviceKind,
  liveDevices,
  summariseAuditDetail,
} from './tech-console.js';

const overview: DeviceStatus[] = [
  { kind: 'idcard', uri: 'sim:', state: 'simulated' },
  { kind: 'printer', uri: 'sim:', state: 'simulated' },
  { kind: 'scanner', uri: 'serial:/dev/ttyS0', state: 'disconnected' },
];

describe('liveDevices', () => {
  it('takes the newer state from the stream for the same address', () => {
    const stream: DeviceStatus[] = [{ kind: 'printer', uri: 'sim:', state: 'fault', detail: 'paper-out' }];
    expect(liveDevices(overview, stream)[1]).toEqual({
      kind: 'printer',
      uri: 'sim:',
      state: 'fault',
      detail: 'paper-out',
    });
    expect(liveDevices(overview, stream)[0]).toBe(overview[0]);
  });

  it('keeps the overview when the stream still names the old address', () => {
    const stream: DeviceStatus[] = [{ kind: 'scanner', uri: 'sim:', state: 'simulated' }];
    expect(liveDevices(overview, stream)[2]).toBe(overview[2]);
  });

  it('works before the stream said anything', () => {
    expect(liveDevices(overview, undefined)).toEqual(overview);
  });
});

describe('summariseAuditDetail', () => {
  it('summarises a device fault, a failed test print and an address change', () => {
    expect(summariseAuditDetail({ uri: 'sim:', state: { state: 'fault', detail: 'paper-out' } })).toEqual({
      stateKey: 'fault',
      text: 'paper-out · sim:',
    });
    expect(summariseAuditDetail({ uri: 'serial:/dev/ttyS0', state: { state: 'disconnected' } })).toEqual({
      stateKey: 'disconnected',
      text: 'serial:/dev/ttyS0',
    });
    expect(summariseAuditDetail({ kind: 'refused' })).toEqual({ stateKey: null, text: 'refused' });
  });

  it('falls back to short JSON, and to nothing for no detail', () => {
    expect(summariseAuditDetail(null)).toEqual({ stateKey: null, text: '' });
    expect(summariseAuditDetail({ failures: 3 })).toEqual({ stateKey: null, text: '{"failures":3}' });
    expect(summariseAuditDetail({ a: 'x'.repeat(400) }).text).toHaveLength(160);
  });
});

describe('device kinds', () => {
  it('recognises device kinds', () => {
    expect(isDeviceKind('printer')).toBe(true);
    expect(isDeviceKind('toaster')).toBe(false);
    expect(isDeviceKind(null)).toBe(false);
  });
});

describe('time of day', () => {
  it('formats an ISO time in local time, and leaves a bad one as it is', () => {
    const d = new Date(2026, 10, 26, 9, 5, 7);
    expect(formatTimeOfDay(d.toISOString())).toBe('09:05:07');
    expect(formatDateTime(d.toISOString())).toBe('2026-11-26 09:05:07');
    expect(formatTimeOfDay('soon')).toBe('soon');
  });
});
