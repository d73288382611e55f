/** Maps a scanner status onto the home screen's device state (src/shared/status.ts). */
import type { DeviceState } from '../../shared/index.js';
import type { ScannerStatus } from './types.js';

export function scannerDeviceState(status: ScannerStatus): DeviceState {
  switch (status.state) {
    case 'ready':
    case 'busy':
      return { state: 'ready' };
    case 'jam':
      return { state: 'fault', detail: 'paper jam in the document feeder' };
    case 'door-open':
      return { state: 'fault', detail: 'feeder door or cover open' };
    case 'offline':
      return { state: 'disconnected' };
    case 'error':
      return { state: 'fault', detail: status.message };
    default: {
      const never: never = status;
      throw new Error(`unknown scanner status ${JSON.stringify(never)}`);
    }
  }
}
