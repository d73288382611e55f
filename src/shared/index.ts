/** src/shared for Node code: the zod-free modules (browser.ts, the renderer's entry) and the schemas. */
export * from './browser.js';
export * from './catalog-schemas.js';
export * from './status-schemas.js';
export * from './resident-schemas.js';
