export { createBootKeyboardDecoder, MAX_CODE_LENGTH, type KeyboardDecodeEvent } from './boot-keyboard.js';
export {
  createCodeReader,
  createLineDecoder,
  createSourceReader,
  type CodeReaderEvent,
  type CodeReaderHandle,
  type CodeReaderSimulator,
  type RawSource,
} from './reader.js';
