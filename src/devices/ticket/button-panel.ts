/**
 * The category button panel of a queue-ticket dispenser (排队取号机). Such panels are small USB HID
 * devices with vendor-defined reports and no public standard, so the kiosk does not guess a format:
 * it reads button state as a bitmask — bit i of the report (byte ⌊i/8⌋ after an optional report id,
 * least significant bit first) is button i — which is what the common keypad controllers send, and
 * the mapping from buttons to window categories is configuration:
 * `hid:VID:PID?buttons=zzlb,gcbj,swfw,bdcdj,ylsb&reportId=1`.
 * A press is an edge (released → pressed); holding a button or repeating reports issues one ticket.
 */
import type { Logger } from 'pino';
import { WINDOW_CODES, type WindowCode } from '../../shared/index.js';
import { createSourceReader, type CodeReaderHandle, type RawSource } from '../code-reader/index.js';
import { err, ok, type Result } from '../result.js';
import { parseDeviceUri } from '../uri.js';

export type PanelConfig = {
  vendorId: number;
  productId: number;
  buttons: WindowCode[];
  reportId: number | null;
};

export function parsePanelUri(uri: string): Result<PanelConfig, string> {
  const parsed = parseDeviceUri(uri.split('?')[0] ?? '');
  if (!parsed.ok) return parsed;
  if (parsed.value.scheme !== 'hid') return err('a button panel is addressed as hid:VID:PID?buttons=…');
  const params = new URLSearchParams(uri.includes('?') ? uri.slice(uri.indexOf('?') + 1) : '');
  const names = (params.get('buttons') ?? '').split(',').filter((b) => b.length > 0);
  if (names.length === 0) return err('name the window category of each button: ?buttons=zzlb,gcbj,…');
  const unknown = names.filter((n) => !(WINDOW_CODES as readonly string[]).includes(n));
  if (unknown.length > 0) return err(`unknown window categories: ${unknown.join(', ')}`);
  const reportId = params.has('reportId') ? Number(params.get('reportId')) : null;
  if (reportId !== null && !(Number.isInteger(reportId) && reportId >= 0 && reportId <= 255)) {
    return err('reportId must be 0–255');
  }
  return ok({
    vendorId: parsed.value.vendorId,
    productId: parsed.value.productId,
    buttons: names as WindowCode[],
    reportId,
  });
}

/** Edge detector: returns the buttons newly pressed by this report. */
export function createPanelDecoder(config: Pick<PanelConfig, 'buttons' | 'reportId'>) {
  let previous = new Set<number>();
  return (report: Uint8Array): WindowCode[] => {
    let bytes = report;
    if (config.reportId !== null) {
      if (report[0] !== config.reportId) return [];
      bytes = report.subarray(1);
    }
    const pressed = new Set<number>();
    config.buttons.forEach((_, i) => {
      const byte = bytes[Math.floor(i / 8)] ?? 0;
      if ((byte >> (i % 8)) & 1) pressed.add(i);
    });
    const fresh = [...pressed].filter((i) => !previous.has(i));
    previous = pressed;
    return fresh.map((i) => config.buttons[i]!);
  };
}

export type ButtonPanel = { handle: CodeReaderHandle; onPress(l: (window: WindowCode) => void): () => void };

/** Opens the panel; button presses arrive as window categories. Reconnects like the code reader. */
export function createButtonPanel(o: {
  uri: string;
  logger: Logger;
  openHid?: (vendorId: number, productId: number) => Promise<RawSource>;
  backoffMs?: { initial: number; max: number };
}): Result<ButtonPanel, string> {
  const cfg = parsePanelUri(o.uri);
  if (!cfg.ok) return cfg;
  const { vendorId, productId } = cfg.value;
  const open =
    o.openHid ??
    (async (vid: number, pid: number): Promise<RawSource> => {
      const HID = await import('node-hid');
      const device = await HID.HIDAsync.open(vid, pid);
      return {
        onData: (cb) => device.on('data', (d: Buffer) => cb(d)),
        onError: (cb) => device.on('error', (e: Error) => cb(e)),
        close: () => device.close(),
      };
    });
  const listeners = new Set<(w: WindowCode) => void>();
  // Button names travel through the reader's "code" channel, one per press.
  const handle = createSourceReader({
    open: () => open(vendorId, productId),
    decode: () => createPanelDecoder(cfg.value),
    logger: o.logger,
    ...(o.backoffMs ? { backoffMs: o.backoffMs } : {}),
  });
  handle.subscribe((e) => {
    if (e.type === 'code') for (const l of listeners) l(e.code as WindowCode);
  });
  return ok({
    handle,
    onPress(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  });
}
