/**
 * Pure helpers of the technician console: the live device list (overview + event stream), the
 * one-line summary of an audit entry, and the console's times. (Reading a tRPC error is api/errors.ts's.)
 */
import { DEVICE_KINDS, type DeviceKind, type DeviceStatus } from '../../shared/browser.js';
import type { DeviceStateKey } from './status-view.js';
import { pad2, wallClock } from './format.js';

/**
 * The device rows to show. `tech.overview` is the console's own read (addresses as the device
 * manager holds them); status events on the stream are newer, so a device's state comes from the
 * stream — unless the stream still names another address (a change the stream has not caught up
 * with: the manager reports a reopened device only when its state changes), then the overview wins.
 */
export function liveDevices(
  overview: readonly DeviceStatus[],
  stream: readonly DeviceStatus[] | undefined,
): DeviceStatus[] {
  return overview.map((d) => {
    const live = stream?.find((s) => s.kind === d.kind);
    return live && live.uri === d.uri ? live : d;
  });
}

export function isDeviceKind(value: unknown): value is DeviceKind {
  return typeof value === 'string' && (DEVICE_KINDS as readonly string[]).includes(value);
}

const STATE_KEYS: Record<DeviceStatus['state'], DeviceStateKey> = {
  ready: 'ready',
  simulated: 'simulated',
  'not-configured': 'notConfigured',
  warning: 'warning',
  fault: 'fault',
  disconnected: 'disconnected',
};

export type AuditSummary = { stateKey: DeviceStateKey | null; text: string };

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * One line for an audit entry's detail: a device fault as its state and driver detail, a failed
 * test print as its outcome, an address change as the address; anything else as short JSON.
 */
export function summariseAuditDetail(detail: unknown): AuditSummary {
  if (detail === null || detail === undefined) return { stateKey: null, text: '' };
  if (!isRecord(detail))
    return { stateKey: null, text: clip(typeof detail === 'string' ? detail : JSON.stringify(detail)) };
  const parts: string[] = [];
  let stateKey: DeviceStateKey | null = null;
  const state = detail.state;
  if (isRecord(state) && typeof state.state === 'string' && state.state in STATE_KEYS) {
    stateKey = STATE_KEYS[state.state as DeviceStatus['state']];
    if (typeof state.detail === 'string') parts.push(state.detail);
  }
  if (typeof detail.kind === 'string') parts.push(detail.kind);
  if (typeof detail.uri === 'string') parts.push(detail.uri);
  if (stateKey === null && parts.length === 0) return { stateKey: null, text: clip(JSON.stringify(detail)) };
  return { stateKey, text: parts.join(' · ') };
}

function clip(text: string, max = 160): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** "HH:MM:SS" of an ISO time in the kiosk's zone (lock-outs, audit entries, printouts). */
export function formatTimeOfDay(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const w = wallClock(d);
  return `${pad2(w.hour)}:${pad2(w.minute)}:${pad2(w.second)}`;
}

/** "YYYY-MM-DD HH:MM:SS" for entries that may be days old. */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const w = wallClock(d);
  return `${w.year}-${pad2(w.month)}-${pad2(w.day)} ${formatTimeOfDay(iso)}`;
}
