/** GB 11643 lives in src/shared: the renderer's form validation and the card parser use the same code. */
export {
  checkIdNumber,
  gb11643CheckChar,
  idNumberBirthDate,
  idNumberSex,
  withCheckChar,
  type IdNumberProblem,
} from '../../shared/gb11643.js';
