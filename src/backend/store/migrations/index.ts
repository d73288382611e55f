import { migration001 } from './001-initial.js';
import { migration002 } from './002-sync-state.js';
import { migration003 } from './003-queue.js';
import { migration004 } from './004-sync-client.js';
import { migration005 } from './005-resident.js';
import { migration007 } from './007-sealed-personal-data.js';

export type Migration = { readonly version: number; readonly name: string; readonly sql: string };

/** In order; a migration's version is its position + 1. Never edit a released one: add the next. */
export const MIGRATIONS: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  // PLACEHOLDER: version 6 is reserved for another branch; the runner needs contiguous versions.
  // Replace this entry with that branch's 006 migration when merging.
  { version: 6, name: 'reserved for another branch', sql: 'SELECT 1' },
  migration007,
];

export const LATEST_VERSION = MIGRATIONS.length;
