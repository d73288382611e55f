/**
 * What the home screen shows about the kiosk's health, and the events the backend streams to the
 * renderer. Tagged unions, never booleans. No zod here (the renderer imports it): the schema of a
 * device kind is in status-schemas.ts.
 */
import type { HelpSignal, KioskHelpCall } from './help.js';

export const DEVICE_KINDS = ['idcard', 'printer', 'ticketPrinter', 'scanner', 'codeReader'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

/**
 * A device's state as the kiosk knows it. `not-configured` when its address is `none`;
 * `simulated` while a built-in simulator stands in for it; the rest come from the drivers.
 */
export type DeviceState =
  | { state: 'not-configured' }
  | { state: 'simulated' }
  | { state: 'ready' }
  | { state: 'warning'; detail: string }
  | { state: 'fault'; detail: string }
  | { state: 'disconnected' };

export type DeviceStatus = { kind: DeviceKind; uri: string } & DeviceState;

/** Network state as seen by the sync client. */
export type NetworkStatus =
  | { state: 'not-enrolled' }
  | { state: 'online'; lastSuccessAt: string; backlog: number }
  | { state: 'offline'; since: string | null; lastError: string | null; backlog: number };

export type SystemStatus = {
  now: string;
  kioskName: string;
  hallName: string;
  hallNameEn: string;
  hallPhone: string;
  /** IANA time zone of the hall: the screen shows times in it, as receipts print them. */
  timeZone: string;
  mode: 'production' | 'development';
  network: NetworkStatus;
  devices: DeviceStatus[];
  catalogVersion: string | null;
  session: SessionTiming;
  /** Whether an A4 (system) printer is configured, for 打印指南 (A4). */
  a4Printer: boolean;
  /**
   * A card was left on the ID-card reader when the last session ended: the home screen shows an alarm
   * and says it by voice until it is taken (docs/security.md, "Whose card, whose case").
   */
  cardLeft: boolean;
};

/** Timing of the resident session, as the renderer runs its countdown. */
export type SessionTiming = { idleSeconds: number; countdownSeconds: number };

/**
 * Events on the stream. Card and code events carry no personal data: the screen asks for the
 * (masked) identity through the session API when it wants it.
 */
export type KioskEvent =
  | { type: 'status'; status: SystemStatus }
  | { type: 'card'; state: 'present' | 'removed' | 'error' }
  /** The code reader read something: a receipt number when it is one of ours (else null), and the access code its QR carries. */
  | { type: 'code'; receiptNo: string | null; accessCode: string | null }
  | { type: 'session-ended'; reason: 'finished' | 'timeout' | 'home' | 'card-removed' }
  /** 呼叫帮助: the call's new phase (src/backend/services/help-call.ts). */
  | { type: 'help'; call: KioskHelpCall }
  /** 呼叫帮助: a WebRTC signalling message from the desk, relayed by the hall. */
  | { type: 'help-signal'; signal: HelpSignal };
