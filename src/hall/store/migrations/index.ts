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
import { migration010 } from './010-sealed-personal-data.js';
import { migration011 } from './011-heartbeat-storage.js';
import { migration012 } from './012-queue-priority.js';
import { migration013 } from './013-staff-audit.js';
import { migration014 } from './014-case-list.js';
import { migration015 } from './015-desk-queue.js';
import { migration016 } from './016-log-epoch.js';
import { migration017 } from './017-blob-packs.js';
import { migration018 } from './018-help-signals.js';
import { migration019 } from './019-case-stats.js';
import { migration020 } from './020-js-filled-columns.js';

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
  migration010,
  migration011,
  migration012,
  migration013,
  migration014,
  migration015,
  migration016,
  migration017,
  migration018,
  migration019,
  migration020,
];

export const HALL_LATEST_VERSION = HALL_MIGRATIONS.length;
