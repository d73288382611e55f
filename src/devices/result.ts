/** Expected failures are values (docs/architecture.md, house style): the one Result of src/shared. */
export { err, ok, type Result } from '../shared/result.js';
