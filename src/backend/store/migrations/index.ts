import { migration001 } from './001-initial.js';
import { migration002 } from './002-sync-state.js';
import { migration003 } from './003-queue.js';
import { migration004 } from './004-sync-client.js';
import { migration005 } from './005-resident.js';
import { migration006 } from './006-sealed-personal-data.js';
import { migration007 } from './007-access-codes.js';
import { migration008 } from './008-queue-priority.js';
import { migration009 } from './009-sync-recovery.js';

export type Migration = { readonly version: number; readonly name: string; readonly sql: string };

/** In order; a migration's version is its position + 1. Never edit a released one: add the next. */
export const MIGRATIONS: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration008,
  migration009,
];

export const LATEST_VERSION = MIGRATIONS.length;
