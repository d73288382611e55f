/** Personal data at rest: the sealer (AES-256-GCM or SM4 + SM3) and its key file. */
export {
  createSealer,
  describeOpenError,
  isSealedBytes,
  isSealedText,
  keyIdOf,
  sealedKeyId,
  KEY_BYTES,
  SEAL_ALGORITHMS,
  type OpenError,
  type SealAlgorithm,
  type Sealer,
} from './sealer.js';
export {
  beginKeyRotation,
  loadKeyFile,
  previousKeyPath,
  recoverKeyRotation,
  retirePreviousKey,
  rotationPending,
  type KeyFileError,
} from './key-file.js';
export {
  fileKeyId,
  filesNotSealedWith,
  filesUnder,
  resealFiles,
  type ResealFilesResult,
} from './reseal-files.js';
export { rotateAtRestKeyOf, type KeyRotation, type RotationDatabase } from './rotation.js';
export { ensurePrivateDir, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, tightenTree } from './private-files.js';
export { hasSealer, registerSealer, sealerFor, type SqlFunctionHost } from './sql-functions.js';
