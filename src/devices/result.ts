/** Expected failures are values (docs/architecture.md, "Results"): the one Result of src/shared. */
export { err, ok, type Result } from '../shared/result.js';
