export * from './catalog.js';
export * from './status.js';
