/**
 * Recognises page images by their magic bytes, not by what a device or upload claims: PNG
 * (89 50 4E 47 0D 0A 1A 0A), JPEG (FF D8 FF), TIFF (49 49 2A 00 / 4D 4D 00 2A), binary PNM (P4/P5/P6).
 */
import type { RawImageMime } from './types.js';

export function sniffImage(data: Uint8Array): RawImageMime | null {
  if (data.length >= 8 && data[0] === 0x89 && data[1] === 0x50 && data[2] === 0x4e && data[3] === 0x47)
    return 'image/png';
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  if (data.length >= 4 && data[0] === 0x49 && data[1] === 0x49 && data[2] === 0x2a && data[3] === 0x00)
    return 'image/tiff';
  if (data.length >= 4 && data[0] === 0x4d && data[1] === 0x4d && data[2] === 0x00 && data[3] === 0x2a)
    return 'image/tiff';
  if (data.length >= 3 && data[0] === 0x50 && data[1] !== undefined && data[1] >= 0x34 && data[1] <= 0x36) {
    const sep = data[2];
    if (sep === 0x0a || sep === 0x0d || sep === 0x20 || sep === 0x09) return 'image/x-portable-anymap';
  }
  return null;
}
