import type { Messages } from './messages.js';

/** English copy of the queue screens; typed by the Chinese copy. */
export const queueEn: Messages['queueFlow'] = {
  title: 'queue',
};
