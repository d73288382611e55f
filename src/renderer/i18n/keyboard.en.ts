import type { Messages } from './messages.js';

/** English copy of the keyboard screens; typed by the Chinese copy. */
export const keyboardEn: Messages['keyboardFlow'] = {
  title: 'keyboard',
};
