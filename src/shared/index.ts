export * from './catalog.js';
export * from './status.js';
export * from './gb11643.js';
export * from './resident.js';
export * from './case-status.js';
export * from './mask.js';
export * from './result.js';
