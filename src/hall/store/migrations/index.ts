import type { Migration } from '../../../sqlite/index.js';
import { migration001 } from './001-meta-and-kiosks.js';
import { migration002 } from './002-sync-protocol.js';
import { migration003 } from './003-staff.js';
import { migration004 } from './004-supplements.js';
import { migration005 } from './005-licences.js';
import { migration006 } from './006-queue.js';
import { migration007 } from './007-followups-heartbeats.js';
import { migration008 } from './008-application-status-check.js';
import { migration009 } from './009-help-requests.js';
import { migration012 } from './012-queue-priority.js';

/**
 * Numbers 10 and 11 are assigned to work on other branches (hall-at-rest, storage-faults) that has
 * not reached this one yet; until it does, these empty steps hold their places so migration 12
 * keeps its assigned number. At the merge the real migrations replace them (same version, same
 * position); a database migrated with a placeholder is a development one only.
 */
const placeholder = (version: number, name: string): Migration => ({
  version,
  name: `placeholder for ${name}`,
  sql: '',
});

/** In order; a migration's version is its position + 1. Never edit a released one: add the next. */
export const HALL_MIGRATIONS: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration008,
  migration009,
  placeholder(10, 'hall-at-rest'),
  placeholder(11, 'storage-faults'),
  migration012,
];

export const HALL_LATEST_VERSION = HALL_MIGRATIONS.length;
