/**
 * The kiosk's health as the home screen shows it: devices, network, catalog. The devices part
 * reports configuration until device drivers report live state through `setDeviceState`.
 */
import {
  DEVICE_KINDS,
  type DeviceKind,
  type DeviceState,
  type DeviceStatus,
  type NetworkStatus,
  type SystemStatus,
} from '../../shared/index.js';
import type { KioskSettings } from '../../sync/index.js';
import type { KioskConfig } from '../config.js';
import type { EventBus } from '../events.js';

export function initialDeviceState(uri: string): DeviceState {
  if (uri === 'none' || uri === 'none:') return { state: 'not-configured' };
  if (uri.startsWith('sim:')) return { state: 'simulated' };
  // A real device is disconnected until its driver has spoken to it.
  return { state: 'disconnected' };
}

export function createStatusService(deps: {
  config: KioskConfig;
  bus: EventBus;
  clock: () => Date;
  catalogVersion: () => string | null;
  /** Settings the hall pushed (`kiosk-config`), over the configuration file's. */
  hallSettings?: () => KioskSettings;
}) {
  const { config, bus, clock } = deps;
  const devices = new Map<DeviceKind, DeviceStatus>(
    DEVICE_KINDS.map((kind) => [
      kind,
      { kind, uri: config.devices[kind], ...initialDeviceState(config.devices[kind]) },
    ]),
  );
  let network: NetworkStatus = config.hall.url
    ? { state: 'offline', since: null, lastError: null, backlog: 0 }
    : { state: 'not-enrolled' };
  let cardLeft = false;

  const snapshot = (): SystemStatus => {
    const hall = deps.hallSettings?.() ?? {};
    return {
      now: clock().toISOString(),
      kioskName: config.kiosk.name,
      hallName: hall.hallName ?? config.kiosk.hallName,
      hallNameEn: hall.hallNameEn ?? config.kiosk.hallNameEn,
      hallPhone: hall.hallPhone ?? config.kiosk.hallPhone,
      timeZone: config.timeZone,
      mode: config.mode,
      network,
      devices: DEVICE_KINDS.map((k) => devices.get(k)).filter((d): d is DeviceStatus => d !== undefined),
      catalogVersion: deps.catalogVersion(),
      a4Printer: config.printing.a4Printer !== undefined,
      cardLeft,
      session: {
        idleSeconds: hall.idleSeconds ?? config.resident.idleSeconds,
        countdownSeconds: hall.countdownSeconds ?? config.resident.countdownSeconds,
      },
    };
  };
  const publish = () => bus.publish({ type: 'status', status: snapshot() });

  return {
    snapshot,
    setDeviceState(kind: DeviceKind, state: DeviceState): void {
      devices.set(kind, { kind, uri: config.devices[kind], ...state });
      publish();
    },
    /** A card left on the reader after a session (card-presence.ts): the home screen's alarm. */
    setCardLeft(left: boolean): void {
      cardLeft = left;
      publish();
    },
    setNetwork(next: NetworkStatus): void {
      network = next;
      publish();
    },
  };
}
export type StatusService = ReturnType<typeof createStatusService>;
