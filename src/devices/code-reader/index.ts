export { createBootKeyboardDecoder, MAX_CODE_LENGTH, type KeyboardDecodeEvent } from './boot-keyboard.js';
