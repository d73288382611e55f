/** Personal data at rest: the sealer (AES-256-GCM or SM4 + SM3) and its key file. */
export {
  createSealer,
  describeOpenError,
  isSealedBytes,
  isSealedText,
  keyIdOf,
  KEY_BYTES,
  SEAL_ALGORITHMS,
  type OpenError,
  type SealAlgorithm,
  type Sealer,
} from './sealer.js';
export { loadKeyFile, type KeyFileError } from './key-file.js';
export { ensurePrivateDir, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, tightenTree } from './private-files.js';
export { hasSealer, registerSealer, sealerFor, type SqlFunctionHost } from './sql-functions.js';
