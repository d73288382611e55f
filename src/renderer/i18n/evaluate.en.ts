import type { Messages } from './messages.js';

/** English copy of the evaluate screens; typed by the Chinese copy. */
export const evaluateEn: Messages['evaluateFlow'] = {
  title: 'evaluate',
};
