import type { Messages } from './messages.js';

/** English copy of the progress screens; typed by the Chinese copy. */
export const progressEn: Messages['progressFlow'] = {
  title: 'progress',
};
