/**
 * src/shared as the renderer may import it: every module here is free of zod at run time (types
 * derived from the schemas come in by `import type`), so the kiosk screen's bundle carries no
 * validation library. Node code imports index.ts, which adds the schemas.
 */
export * from './catalog.js';
export * from './status.js';
export * from './gb11643.js';
export * from './resident.js';
export * from './access-code.js';
export * from './case-status.js';
export * from './mask.js';
export * from './result.js';
export * from './wall-clock.js';
export * from './help.js';
export * from './storage-space.js';
export * from './queue-ticket.js';
export type { DayHours, DayKind, NextOpening, OpeningPeriod, WindowOpening } from './opening-hours.js';
export * from './hall-opening.js';
