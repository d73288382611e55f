/**
 * Free space of the kiosk's data directory, as the technician console shows it and the heartbeat
 * carries it to the hall's fleet view (docs/sync-protocol.md, "Heartbeat"): one threshold for
 * "little is left" on both, so the hall warns when the kiosk's own console does.
 */

/** Free and total bytes of the file system that holds the kiosk's data directory. */
export type StorageSpace = { freeBytes: number; totalBytes: number };

/** Less than this many bytes free is low, whatever the disk's size. */
export const LOW_SPACE_BYTES = 1024 ** 3;
/** Less than this share of the disk free is low. */
export const LOW_SPACE_FRACTION = 0.05;

/** Less than 1 GB or 5 % free: warn (submissions fail as storage-full when it runs out). */
export function storageLow(freeBytes: number, totalBytes: number): boolean {
  return freeBytes < LOW_SPACE_BYTES || (totalBytes > 0 && freeBytes / totalBytes < LOW_SPACE_FRACTION);
}

/** Bytes for a technician: 1 decimal, binary units (GiB as "GB", as disk tools show it). */
export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}
