/**
 * A full disk, told apart from other storage failures: the screen says so in words (the kiosk
 * cannot store anything until a technician frees space) instead of "try again". The codes and the
 * error value are defined once in src/shared/result.ts.
 */
export { isStorageFull, STORAGE_FULL, storageFull, type StorageFull } from '../../shared/result.js';
