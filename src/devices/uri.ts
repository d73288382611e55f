/**
 * Device addresses. Every device is configured by a URI, so technicians and tests address them the
 * same way: serial:/dev/ttyUSB0?baud=115200, tcp://192.168.1.50:9100, usblp:/dev/usb/lp0, hid:VID:PID,
 * sane:DEVICE, escl:http://HOST:PORT/eSCL, camera:default, sim: (built-in simulator), none.
 */
import { err, ok, type Result } from './result.js';

export type DeviceAddress =
  | { scheme: 'serial'; path: string; baud: number }
  | { scheme: 'tcp'; host: string; port: number }
  | { scheme: 'usblp'; path: string }
  | { scheme: 'hid'; vendorId: number; productId: number }
  | { scheme: 'sane'; device: string }
  | { scheme: 'escl'; url: string }
  | { scheme: 'camera'; deviceId: string }
  | { scheme: 'sim'; options: Record<string, string> }
  | { scheme: 'none' };

const BAUD_RATES = new Set([9600, 19200, 38400, 57600, 115200]);

export function parseDeviceUri(
  uri: string,
  defaults: { baud?: number; tcpPort?: number } = {},
): Result<DeviceAddress, string> {
  const text = uri.trim();
  if (text === 'none' || text === 'none:') return ok({ scheme: 'none' });
  const colon = text.indexOf(':');
  if (colon <= 0)
    return err(`"${uri}" is not a device address (expected e.g. serial:/dev/ttyUSB0, tcp://host:9100, sim:)`);
  const scheme = text.slice(0, colon);
  const rest = text.slice(colon + 1);
  switch (scheme) {
    case 'serial': {
      const [path = '', query = ''] = rest.split('?', 2);
      if (!path) return err(`serial address "${uri}" names no port`);
      const params = new URLSearchParams(query);
      const baud = params.has('baud') ? Number(params.get('baud')) : (defaults.baud ?? 115200);
      if (!BAUD_RATES.has(baud))
        return err(`serial address "${uri}": baud must be one of ${[...BAUD_RATES].join(', ')}`);
      return ok({ scheme: 'serial', path, baud });
    }
    case 'tcp': {
      let url: URL;
      try {
        url = new URL(text);
      } catch {
        return err(`tcp address "${uri}" is not a URL (expected tcp://HOST:PORT)`);
      }
      const port = url.port === '' ? (defaults.tcpPort ?? 9100) : Number(url.port);
      if (!url.hostname) return err(`tcp address "${uri}" names no host`);
      return ok({ scheme: 'tcp', host: url.hostname.replace(/^\[|\]$/g, ''), port });
    }
    case 'usblp':
      return rest ? ok({ scheme: 'usblp', path: rest }) : err(`usblp address "${uri}" names no device file`);
    case 'hid': {
      const m = /^([0-9a-fA-F]{1,4}):([0-9a-fA-F]{1,4})$/.exec(rest);
      if (!m) return err(`hid address "${uri}" must be hid:VID:PID in hex, e.g. hid:0483:5750`);
      return ok({ scheme: 'hid', vendorId: parseInt(m[1]!, 16), productId: parseInt(m[2]!, 16) });
    }
    case 'sane':
      return rest
        ? ok({ scheme: 'sane', device: rest })
        : err(`sane address "${uri}" names no device (e.g. sane:test)`);
    case 'escl': {
      try {
        const url = new URL(rest);
        if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
        return ok({ scheme: 'escl', url: url.toString().replace(/\/$/, '') });
      } catch {
        return err(`escl address "${uri}" must be escl:http://HOST:PORT/eSCL`);
      }
    }
    case 'camera':
      return ok({ scheme: 'camera', deviceId: rest || 'default' });
    case 'sim':
      return ok({ scheme: 'sim', options: Object.fromEntries(new URLSearchParams(rest.replace(/^\?/, ''))) });
    default:
      return err(`unknown device address scheme "${scheme}" in "${uri}"`);
  }
}

/** Simulators stand in for hardware only outside production (docs/architecture.md, "Simulator control"). */
export function refuseSimulatorInProduction(
  address: DeviceAddress,
  mode: 'production' | 'development',
): Result<DeviceAddress, string> {
  if (address.scheme === 'sim' && mode === 'production') {
    return err('simulated devices are refused in production mode: configure the real device address');
  }
  return ok(address);
}
