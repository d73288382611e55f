import type { Messages } from './messages.js';

/** English copy of the apply screens; typed by the Chinese copy. */
export const applyEn: Messages['applyFlow'] = {
  title: 'apply',
};
