import type { Messages } from './messages.js';

/** English copy of the session screens; typed by the Chinese copy. */
export const sessionEn: Messages['sessionFlow'] = {
  title: 'session',
};
