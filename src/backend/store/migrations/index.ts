import { migration001 } from './001-initial.js';
import { migration002 } from './002-sync-state.js';
import { migration003 } from './003-queue.js';
import { migration004 } from './004-sync-client.js';
import { migration005 } from './005-resident.js';
import { migration006 } from './006-sealed-personal-data.js';
import { migration008 } from './008-queue-priority.js';

export type Migration = { readonly version: number; readonly name: string; readonly sql: string };

/**
 * Number 7 is assigned to work on another branch (access-code) that has not reached this one yet;
 * until it does, this empty step holds its place so migration 8 keeps its assigned number. At the
 * merge the real migration replaces it (same version, same position); a database migrated with the
 * placeholder is a development one only.
 */
const placeholder = (version: number, name: string): Migration => ({
  version,
  name: `placeholder for ${name}`,
  sql: '',
});

/** In order; a migration's version is its position + 1. Never edit a released one: add the next. */
export const MIGRATIONS: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  placeholder(7, 'access-code'),
  migration008,
];

export const LATEST_VERSION = MIGRATIONS.length;
