/**
 * The technician console's "change address" form as data: a device address (a URI such as
 * serial:/dev/ttyUSB0?baud=115200, tcp://192.168.1.50:9100, sim:) split into the scheme the
 * technician picks and the one detail they type, and put back together. The backend's
 * tech.setDevice is the judge of what is valid; this only keeps the form and the URI in step.
 */
import type { DeviceKind } from '../../shared/browser.js';

export const ADDRESS_SCHEMES = [
  'sim',
  'serial',
  'tcp',
  'usblp',
  'hid',
  'sane',
  'escl',
  'camera',
  'none',
] as const;
export type AddressScheme = (typeof ADDRESS_SCHEMES)[number];

/**
 * The schemes each kind of device can be reached by (the device factories refuse the others, e.g.
 * a scanner on serial:), so the form offers only choices that can work.
 */
export const SCHEMES_BY_KIND: Record<DeviceKind, readonly AddressScheme[]> = {
  idcard: ['sim', 'serial', 'hid', 'none'],
  printer: ['sim', 'serial', 'tcp', 'usblp', 'none'],
  ticketPrinter: ['sim', 'serial', 'tcp', 'usblp', 'none'],
  scanner: ['sim', 'sane', 'escl', 'camera', 'none'],
  codeReader: ['sim', 'serial', 'hid', 'camera', 'none'],
};

/** The rates the serial transport accepts; null leaves the device's own default. */
export const BAUD_RATES = [9600, 19200, 38400, 57600, 115200] as const;

export type AddressDraft = {
  scheme: AddressScheme;
  /** serial: the port; tcp: HOST:PORT; usblp: device file; hid: VID:PID; sane: device; escl: URL;
   * camera: device id (optional); sim: options such as ?status=paper-out (optional); none: unused. */
  detail: string;
  baud: number | null;
  /** serial: query parameters other than baud (e.g. flow=rtscts), kept as they were. */
  extra: string;
};

/** Which schemes need a detail typed or chosen before the address means anything. */
export function needsDetail(scheme: AddressScheme): boolean {
  return scheme !== 'sim' && scheme !== 'none' && scheme !== 'camera';
}

const isScheme = (s: string): s is AddressScheme => (ADDRESS_SCHEMES as readonly string[]).includes(s);

export function parseAddress(uri: string): AddressDraft {
  const text = uri.trim();
  const blank = { detail: '', baud: null, extra: '' };
  if (text === '' || text === 'none' || text === 'none:') return { scheme: 'none', ...blank };
  const colon = text.indexOf(':');
  const scheme = colon > 0 ? text.slice(0, colon) : '';
  const rest = text.slice(colon + 1);
  if (!isScheme(scheme)) return { scheme: 'sim', ...blank };
  switch (scheme) {
    case 'serial': {
      const q = rest.indexOf('?');
      const path = q < 0 ? rest : rest.slice(0, q);
      const params = new URLSearchParams(q < 0 ? '' : rest.slice(q + 1));
      const baud = Number(params.get('baud'));
      params.delete('baud');
      return {
        scheme,
        detail: path,
        baud: (BAUD_RATES as readonly number[]).includes(baud) ? baud : null,
        extra: params.toString(),
      };
    }
    case 'tcp':
      return { scheme, ...blank, detail: rest.replace(/^\/\//, '') };
    case 'none':
      return { scheme, ...blank };
    case 'sim':
    case 'usblp':
    case 'hid':
    case 'sane':
    case 'escl':
    case 'camera':
      return { scheme, ...blank, detail: rest };
    default: {
      const never: never = scheme;
      return never;
    }
  }
}

export function composeAddress(draft: AddressDraft): string {
  const detail = draft.detail.trim();
  switch (draft.scheme) {
    case 'none':
      return 'none';
    case 'serial': {
      const params = new URLSearchParams(draft.extra);
      if (draft.baud !== null) params.set('baud', String(draft.baud));
      const query = params.toString();
      return `serial:${detail}${query ? `?${query}` : ''}`;
    }
    case 'tcp':
      return `tcp://${detail.replace(/^tcp:\/\//, '')}`;
    case 'sim':
    case 'usblp':
    case 'hid':
    case 'sane':
    case 'escl':
    case 'camera':
      return `${draft.scheme}:${detail}`;
    default: {
      const never: never = draft.scheme;
      return never;
    }
  }
}

/** Switching scheme starts from an empty detail (a serial port means nothing to tcp). */
export function withScheme(draft: AddressDraft, scheme: AddressScheme): AddressDraft {
  return scheme === draft.scheme ? draft : { scheme, detail: '', baud: null, extra: '' };
}
