import { describe, expect, it } from 'vitest';
import { DEVICE_KINDS, type DeviceState, type DeviceStatus } from '../../shared/browser.js';
import { zhCN } from '../i18n/zh-cn.js';
import {
  codeReaderUsable,
  deviceView,
  formatBytes,
  storageLow,
  networkView,
  residentDeviceView,
} from './status-view.js';

const states: DeviceState[] = [
  { state: 'ready' },
  { state: 'simulated' },
  { state: 'not-configured' },
  { state: 'warning', detail: 'paper near end' },
  { state: 'fault', detail: 'cover open' },
  { state: 'disconnected' },
];

describe('deviceView', () => {
  it('gives every state its own icon and the Chinese text the home screen shows', () => {
    const views = states.map((s) => deviceView({ kind: 'printer', uri: 'sim:', ...s }));
    expect(new Set(views.map((v) => v.icon)).size).toBe(states.length);
    expect(views.map((v) => zhCN.status.state[v.key])).toEqual([
      '已就绪',
      '模拟设备',
      '未配置',
      '需注意',
      '故障',
      '未连接',
    ]);
  });

  it('keeps the driver detail of warnings and faults', () => {
    expect(deviceView({ kind: 'printer', uri: 'usblp:', state: 'fault', detail: 'cover open' }).detail).toBe(
      'cover open',
    );
  });

  it('has a name for every device kind', () => {
    for (const kind of DEVICE_KINDS) expect(zhCN.status.device[kind]).toBeTruthy();
  });
});

describe('networkView', () => {
  it('says not enrolled, online, syncing, offline and offline with backlog', () => {
    expect(networkView({ state: 'not-enrolled' }).text).toEqual({ key: 'notEnrolled' });
    expect(networkView({ state: 'online', lastSuccessAt: '2026-11-26T00:00:00Z', backlog: 0 }).text).toEqual({
      key: 'online',
    });
    expect(networkView({ state: 'online', lastSuccessAt: '2026-11-26T00:00:00Z', backlog: 2 }).text).toEqual({
      key: 'syncing',
      count: 2,
    });
    expect(networkView({ state: 'offline', since: null, lastError: null, backlog: 0 }).text).toEqual({
      key: 'offline',
    });
    const offline = networkView({ state: 'offline', since: null, lastError: 'timeout', backlog: 3 });
    expect(offline.text).toEqual({ key: 'offlineBacklog', count: 3 });
    expect(offline.icon).toBe('offline');
    expect(offline.note).toBe('offlineNote');
  });
});

describe('residentDeviceView', () => {
  const at = (kind: DeviceStatus['kind'], s: DeviceState) => residentDeviceView({ kind, uri: 'x', ...s });
  it('says what a fault means, never a raw code or "simulated"', () => {
    expect(at('printer', { state: 'fault', detail: 'paper-out' })).toEqual({
      key: 'notice',
      problem: true,
      tone: 'bad',
      notice: 'printer-paperOut',
    });
    expect(at('printer', { state: 'fault', detail: 'cover-open' }).notice).toBe('printer-coverOpen');
    expect(at('ticketPrinter', { state: 'fault', detail: 'paper-out' }).notice).toBe(
      'ticketPrinter-paperOut',
    );
    expect(at('printer', { state: 'fault', detail: 'error: 0x12' }).notice).toBe('printer-unavailable');
    expect(at('scanner', { state: 'fault', detail: 'paper-out' }).notice).toBe('scanner-unavailable');
    expect(at('printer', { state: 'warning', detail: 'paper-near-end' })).toMatchObject({
      problem: false,
      notice: 'printer-paperLow',
    });
    expect(at('idcard', { state: 'disconnected' })).toMatchObject({
      problem: true,
      notice: 'idcard-unavailable',
    });
    expect(at('scanner', { state: 'simulated' })).toMatchObject({ key: 'ok', problem: false, notice: null });
    expect(at('codeReader', { state: 'not-configured' })).toMatchObject({ key: 'absent', notice: null });
  });

  it('has a sentence for every notice, in Chinese without a raw code', () => {
    const problems = zhCN.status.resident.problems;
    for (const kind of DEVICE_KINDS)
      for (const s of states) {
        const v = at(kind, s);
        if (v.notice) expect(problems[v.notice], `${kind} ${s.state}`).toMatch(/[\u4e00-\u9fff]/);
      }
    expect(JSON.stringify(problems)).not.toMatch(/paper-out|cover-open|fault|故障 （/);
  });
});

describe('codeReaderUsable', () => {
  const reader = (s: DeviceState): DeviceStatus => ({ kind: 'codeReader', uri: 'x', ...s });
  it('offers the QR way only with a code reader that works', () => {
    expect(codeReaderUsable([reader({ state: 'ready' })])).toBe(true);
    expect(codeReaderUsable([reader({ state: 'simulated' })])).toBe(true);
    expect(codeReaderUsable([reader({ state: 'not-configured' })])).toBe(false);
    expect(codeReaderUsable([reader({ state: 'disconnected' })])).toBe(false);
    expect(codeReaderUsable([reader({ state: 'fault', detail: 'x' })])).toBe(false);
    expect(codeReaderUsable([{ kind: 'printer', uri: 'x', state: 'ready' }])).toBe(false);
    expect(codeReaderUsable(undefined)).toBe(false);
  });
});

describe('data directory space', () => {
  it('formats bytes and warns when little is left', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(5 * 1024 ** 3 + 300 * 1024 ** 2)).toBe('5.3 GB');
    expect(storageLow(512 * 1024 ** 2, 100 * 1024 ** 3)).toBe(true);
    expect(storageLow(4 * 1024 ** 3, 100 * 1024 ** 3)).toBe(true);
    expect(storageLow(20 * 1024 ** 3, 100 * 1024 ** 3)).toBe(false);
  });
});
