/**
 * HID seam. "免驱" HID variants of the desktop readers carry the GA 467 frames inside vendor report
 * formats that are not public (docs/devices-idcard.md, "Link": the kiosk does not guess one).
 * So there is no HID implementation here, only the shape one would take: a `HidReportFraming` that
 * maps frames to reports for one documented model, wrapped by a node-hid adapter into an
 * `OpenTransport`. Until a vendor documents its framing, a `hid:` address yields a clear fault.
 */
import { err, type Result } from '../result.js';
import type { OpenTransport } from './transport.js';

export const HID_UNSUPPORTED_MESSAGE =
  "HID readers are not supported: no public framing; use the reader's USB-serial mode";

/** How one reader model packs GA 467 frame bytes into HID reports, and back. */
export interface HidReportFraming {
  readonly model: string;
  readonly vendorId: number;
  readonly productId: number;
  /** Splits frame bytes into output reports (report id first, as node-hid expects). */
  toReports(frameBytes: Uint8Array): Uint8Array[];
  /** Extracts the GA 467 bytes from one input report; null for reports that carry none. */
  fromReport(report: Uint8Array): Uint8Array | null;
}

/** Framings with a public specification. None are known; see the module comment. */
export const KNOWN_HID_FRAMINGS: readonly HidReportFraming[] = [];

export function hidTransportFor(address: {
  vendorId: number;
  productId: number;
}): Result<OpenTransport, string> {
  const framing = KNOWN_HID_FRAMINGS.find(
    (f) => f.vendorId === address.vendorId && f.productId === address.productId,
  );
  if (framing === undefined) return err(HID_UNSUPPORTED_MESSAGE);
  // Reaching here needs a documented framing plus a node-hid adapter built on it; neither exists yet.
  return err(`${HID_UNSUPPORTED_MESSAGE} (no adapter for ${framing.model})`);
}
