export * from './catalog.js';
export * from './status.js';
export * from './gb11643.js';
export * from './resident.js';
