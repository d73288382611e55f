/**
 * How the home screen shows each device and network state: an icon, a tone and the text key. The
 * icon and text always carry the meaning; the tone (colour) only repeats it.
 */
import type { DeviceStatus, NetworkStatus } from '../../shared/browser.js';

export type Tone = 'ok' | 'info' | 'warn' | 'bad';
export type DeviceStateKey = 'ready' | 'simulated' | 'notConfigured' | 'warning' | 'fault' | 'disconnected';
export type StatusIcon =
  'ready' | 'simulated' | 'notConfigured' | 'warning' | 'fault' | 'unlinked' | 'online' | 'offline';

export function deviceView(d: DeviceStatus): {
  icon: StatusIcon;
  tone: Tone;
  key: DeviceStateKey;
  detail?: string;
} {
  switch (d.state) {
    case 'ready':
      return { icon: 'ready', tone: 'ok', key: 'ready' };
    case 'simulated':
      return { icon: 'simulated', tone: 'info', key: 'simulated' };
    case 'not-configured':
      return { icon: 'notConfigured', tone: 'info', key: 'notConfigured' };
    case 'warning':
      return { icon: 'warning', tone: 'warn', key: 'warning', detail: d.detail };
    case 'fault':
      return { icon: 'fault', tone: 'bad', key: 'fault', detail: d.detail };
    case 'disconnected':
      return { icon: 'unlinked', tone: 'bad', key: 'disconnected' };
    default: {
      const never: never = d;
      return never;
    }
  }
}

export type NetworkText =
  { key: 'notEnrolled' | 'online' | 'offline' } | { key: 'syncing' | 'offlineBacklog'; count: number };

export function networkView(n: NetworkStatus): {
  icon: StatusIcon;
  tone: Tone;
  text: NetworkText;
  note: 'notEnrolledNote' | 'onlineNote' | 'offlineNote';
} {
  switch (n.state) {
    case 'not-enrolled':
      return { icon: 'unlinked', tone: 'info', text: { key: 'notEnrolled' }, note: 'notEnrolledNote' };
    case 'online':
      return {
        icon: 'online',
        tone: 'ok',
        text: n.backlog > 0 ? { key: 'syncing', count: n.backlog } : { key: 'online' },
        note: 'onlineNote',
      };
    case 'offline':
      return {
        icon: 'offline',
        tone: 'warn',
        text: n.backlog > 0 ? { key: 'offlineBacklog', count: n.backlog } : { key: 'offline' },
        note: 'offlineNote',
      };
    default: {
      const never: never = n;
      return never;
    }
  }
}

/**
 * What a resident is told about a device (docs/resident-journey.md, "Device trouble"): in words, what
 * it means for them — never a raw code, never "simulated". `ok` for a device that works (a built-in
 * simulator included), `absent` when this kiosk has none; `notice` names the sentence
 * (`status.resident.problems.<notice>`) for a device in trouble.
 */
export type ResidentNoticeKey =
  | 'idcard-unavailable'
  | `${'printer' | 'ticketPrinter'}-${'paperLow' | 'paperOut' | 'coverOpen' | 'unavailable'}`
  | 'scanner-unavailable'
  | 'codeReader-unavailable';

export type ResidentDeviceView = {
  key: 'ok' | 'absent' | 'notice';
  /** A problem that stops what the device is for (a low-paper warning is a notice, not a problem). */
  problem: boolean;
  tone: Tone;
  notice: ResidentNoticeKey | null;
};

export function residentDeviceView(d: DeviceStatus): ResidentDeviceView {
  const printer = d.kind === 'printer' || d.kind === 'ticketPrinter' ? d.kind : null;
  const trouble = (what: 'paperOut' | 'coverOpen' | 'unavailable'): ResidentDeviceView => ({
    key: 'notice',
    problem: true,
    tone: 'bad',
    notice: printer ? `${printer}-${what}` : `${d.kind as 'idcard' | 'scanner' | 'codeReader'}-unavailable`,
  });
  switch (d.state) {
    case 'ready':
    case 'simulated':
      return { key: 'ok', problem: false, tone: 'ok', notice: null };
    case 'not-configured':
      return { key: 'absent', problem: false, tone: 'info', notice: null };
    case 'warning':
      return printer && d.detail === 'paper-near-end'
        ? { key: 'notice', problem: false, tone: 'warn', notice: `${printer}-paperLow` }
        : { key: 'ok', problem: false, tone: 'ok', notice: null };
    case 'fault':
      if (printer && d.detail === 'paper-out') return trouble('paperOut');
      if (printer && d.detail === 'cover-open') return trouble('coverOpen');
      return trouble('unavailable');
    case 'disconnected':
      return trouble('unavailable');
    default: {
      const never: never = d;
      return never;
    }
  }
}

/**
 * Whether the resident may be told to scan a QR code: only with a code reader fitted and working
 * (issue 12: no QR offer without a code reader). Unknown status (not loaded yet) offers nothing.
 */
export function codeReaderUsable(devices: readonly DeviceStatus[] | undefined): boolean {
  const reader = devices?.find((d) => d.kind === 'codeReader');
  if (reader === undefined) return false;
  return reader.state === 'ready' || reader.state === 'simulated' || reader.state === 'warning';
}

/** The data directory's free space: defined once with the hall's fleet view (src/shared). */
export { formatBytes, storageLow } from '../../shared/storage-space.js';
