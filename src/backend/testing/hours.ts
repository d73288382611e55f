/**
 * Opening hours for tests: the shipped seed, and a round-the-clock file for tests that are not about
 * hours (so they pass at 21:26 on a Friday as well as at 10:00 on a Wednesday).
 */
import { fileURLToPath } from 'node:url';
import { loadSeedCalendar } from '../services/resident.js';
import { loadWindowHours } from '../services/queue.js';
import { resourcesDir } from '../paths.js';
import { join } from 'node:path';

/** Path of the round-the-clock hours (for KIOSK_QUEUE_HOURS). */
export const ROUND_THE_CLOCK_HOURS = fileURLToPath(new URL('./round-the-clock-hours.json', import.meta.url));

export const seedHours = () => loadWindowHours(join(resourcesDir(), 'calendar', 'window-hours.json'));
export const roundTheClockHours = () => loadWindowHours(ROUND_THE_CLOCK_HOURS);
export const seedCalendar = () => loadSeedCalendar(resourcesDir());
