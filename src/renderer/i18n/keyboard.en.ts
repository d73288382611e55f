import type { Messages } from './messages.js';

/** English copy of the on-screen keyboard; typed by the Chinese copy. */
export const keyboardEn: Messages['keyboardFlow'] = {
  roleDescription: 'on-screen keyboard',
  modes: 'Input mode',
  layout: {
    // The pinyin key keeps the 中 every Chinese keyboard uses for it.
    pinyin: '中',
    letters: 'ABC',
    digits: '123',
    decimal: '1.5',
    idNumber: 'ID',
    phone: 'Phone',
  },
  layoutName: {
    pinyin: 'Chinese (pinyin)',
    letters: 'English letters',
    digits: 'Numbers',
    decimal: 'Numbers with a decimal point',
    idNumber: 'ID card number',
    phone: 'Mobile number',
  },
  composing: 'Pinyin being typed',
  hint: 'Type pinyin, then tap a character below',
  candidates: 'Suggestions',
  noCandidates: 'No matching characters — press Space to type the letters',
  prevPage: 'Previous',
  nextPage: 'Next',
  pageOf: 'Page {{page}} of {{pages}}',
  backspace: 'Delete',
  clear: 'Clear all',
  done: 'Done',
  space: 'Space',
  fullWidth: 'Full',
  halfWidth: 'Half',
  widthName: 'full-width or half-width punctuation',
  caps: 'Caps',
  separator: 'Split',
  full: 'Maximum of {{max}} characters reached',
};
