import { describe, expect, it } from 'vitest';
import { DEVICE_KINDS, type DeviceState } from '../../shared/browser.js';
import { zhCN } from '../i18n/zh-cn.js';
import { deviceView, networkView } from './status-view.js';

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
