import { describe, expect, it } from 'vitest';
import {
  candidatePages,
  canTypeX,
  fits,
  initialKeyboardState,
  type KeyboardAction,
  type KeyboardConfig,
  type KeyboardModel,
  keyboardReducer,
  limitOf,
  MAX_BUFFER,
} from './keyboard-state.js';

const PINYIN: KeyboardConfig = { layouts: ['pinyin', 'letters', 'digits'] };

function start(config: KeyboardConfig, value = ''): KeyboardModel {
  return { state: initialKeyboardState(config), value };
}

/** Runs actions; "type" shortcuts every letter of a word into one letter action each. */
function run(config: KeyboardConfig, model: KeyboardModel, ...actions: (KeyboardAction | string)[]) {
  let current = { ...model, done: false };
  for (const a of actions) {
    const list: KeyboardAction[] =
      typeof a === 'string' ? [...a].map((letter) => ({ type: 'letter', letter })) : [a];
    for (const action of list) current = keyboardReducer(current, action, config);
  }
  return current;
}

const firstOf = (buffer: string, text: string) => {
  const c = candidatePages(buffer)
    .flat()
    .find((x) => x.text === text);
  if (!c) throw new Error(`${text} is not a candidate of ${buffer}`);
  return c;
};

describe('keyboard state: pinyin', () => {
  it('starts on the first layout the field allows', () => {
    expect(initialKeyboardState(PINYIN)).toEqual({
      layout: 'pinyin',
      buffer: '',
      page: 0,
      caps: false,
      fullWidth: true,
      rare: false,
    });
    expect(initialKeyboardState({ layouts: ['phone'] }).layout).toBe('phone');
  });

  it('types letters into the buffer, not the text', () => {
    const r = run(PINYIN, start(PINYIN), 'shebao');
    expect(r.state.buffer).toBe('shebao');
    expect(r.value).toBe('');
  });

  it('commits a whole-buffer phrase and empties the buffer', () => {
    const r = run(PINYIN, start(PINYIN, '办'), 'shebao', {
      type: 'pick',
      candidate: firstOf('shebao', '社保'),
    });
    expect(r.value).toBe('办社保');
    expect(r.state.buffer).toBe('');
  });

  it('leaves the rest of the buffer after a first-syllable character (zhangsan → 张 → san → 三)', () => {
    let r = run(PINYIN, start(PINYIN), 'zhangsan', { type: 'pick', candidate: firstOf('zhangsan', '张') });
    expect(r.value).toBe('张');
    expect(r.state.buffer).toBe('san');
    r = run(PINYIN, r, { type: 'pick', candidate: firstOf('san', '三') });
    expect(r.value).toBe('张三');
    expect(r.state.buffer).toBe('');
  });

  it("drops a leading separator left after a pick (xi'an → 西 → an)", () => {
    const r = run(PINYIN, start(PINYIN), 'xi', { type: 'separator' }, 'an', {
      type: 'pick',
      candidate: firstOf("xi'an", '西'),
    });
    expect(r.value).toBe('西');
    expect(r.state.buffer).toBe('an');
  });

  it('takes a separator only between letters', () => {
    let r = run(PINYIN, start(PINYIN), { type: 'separator' });
    expect(r.state.buffer).toBe('');
    r = run(PINYIN, r, 'xi', { type: 'separator' }, { type: 'separator' });
    expect(r.state.buffer).toBe("xi'");
  });

  it('takes the first candidate with space', () => {
    let r = run(PINYIN, start(PINYIN), 'sb', { type: 'space' });
    expect(r.value).toBe('社保');
    expect(r.state.buffer).toBe('');
    // Without pinyin waiting, space is a space.
    r = run(PINYIN, r, { type: 'space' });
    expect(r.value).toBe('社保 ');
  });

  it('commits the letters on space when nothing matches', () => {
    const r = run(PINYIN, start(PINYIN), 'v', { type: 'space' });
    expect(r.value).toBe('v');
  });

  it('edits the buffer before the text with backspace', () => {
    let r = run(PINYIN, start(PINYIN, '西安'), 'she', { type: 'backspace' });
    expect(r.state.buffer).toBe('sh');
    expect(r.value).toBe('西安');
    r = run(PINYIN, r, { type: 'backspace' }, { type: 'backspace' }, { type: 'backspace' });
    expect(r.state.buffer).toBe('');
    expect(r.value).toBe('西');
  });

  it('converts the whole buffer before punctuation', () => {
    const r = run(PINYIN, start(PINYIN), 'zhangsan', { type: 'symbol', text: '，' });
    expect(r.value).toBe('张三，');
    expect(r.state.buffer).toBe('');
  });

  it('keeps the typed letters when leaving pinyin or pressing 完成', () => {
    let r = run(PINYIN, start(PINYIN), 'sb', { type: 'layout', layout: 'letters' });
    expect(r.state).toMatchObject({ layout: 'letters', buffer: '' });
    expect(r.value).toBe('sb');
    r = run(PINYIN, start(PINYIN), "xi'an", { type: 'done' });
    expect(r.done).toBe(true);
    expect(r.value).toBe('xian');
  });

  it('pages within the candidates and starts again on page 1 after a new letter', () => {
    let r = run(PINYIN, start(PINYIN), 'shi', { type: 'page', delta: -1 });
    expect(r.state.page).toBe(0);
    r = run(PINYIN, r, { type: 'page', delta: 1 }, { type: 'page', delta: 1 });
    expect(r.state.page).toBe(2);
    const last = candidatePages('shi').length - 1;
    for (let i = 0; i < 20; i++) r = run(PINYIN, r, { type: 'page', delta: 1 });
    expect(r.state.page).toBe(last);
    r = run(PINYIN, r, 'a');
    expect(r.state.page).toBe(0);
  });

  it('clears both the buffer and the text', () => {
    const r = run(PINYIN, start(PINYIN, '西安'), 'she', { type: 'clear' });
    expect(r.state.buffer).toBe('');
    expect(r.value).toBe('');
  });

  it('stops taking letters past a sane pinyin length', () => {
    const r = run(PINYIN, start(PINYIN), 'a'.repeat(MAX_BUFFER + 5));
    expect(r.state.buffer.length).toBe(MAX_BUFFER);
  });

  it('ignores picks outside pinyin and stale candidates', () => {
    const r = run(PINYIN, start(PINYIN), 'sh', {
      type: 'pick',
      candidate: { text: '社保', consumed: 6, kind: 'phrase' },
    });
    expect(r.value).toBe('');
    expect(r.state.buffer).toBe('sh');
  });
});

describe('keyboard state: maxLength', () => {
  const LIMITED: KeyboardConfig = { layouts: ['pinyin', 'letters'], maxLength: 3 };

  it('never commits a candidate that does not fit', () => {
    const r = run(LIMITED, start(LIMITED, '西安'), 'shebao', {
      type: 'pick',
      candidate: firstOf('shebao', '社保'),
    });
    expect(r.value).toBe('西安');
    expect(r.state.buffer).toBe('shebao');
    expect(fits('西安', '社保', LIMITED)).toBe(false);
    expect(fits('西安', '社', LIMITED)).toBe(true);
  });

  it('ignores pinyin letters once the field is full', () => {
    const r = run(LIMITED, start(LIMITED, '西安市'), 'a');
    expect(r.state.buffer).toBe('');
  });

  it('cuts committed letters to the room left', () => {
    const r = run(LIMITED, start(LIMITED, '西'), 'shebao', { type: 'done' });
    expect(r.value).toBe('西sh');
  });

  it('ignores extra letters, digits and spaces', () => {
    const L: KeyboardConfig = { layouts: ['letters'], maxLength: 2 };
    const r = run(L, start(L), 'abc', { type: 'space' }, { type: 'symbol', text: '-' });
    expect(r.value).toBe('ab');
  });

  it('counts characters, not UTF-16 units', () => {
    const L: KeyboardConfig = { layouts: ['letters'], maxLength: 2 };
    expect(fits('𠀀', 'a', L)).toBe(true);
  });
});

describe('keyboard state: letters', () => {
  const LETTERS: KeyboardConfig = { layouts: ['letters', 'pinyin'] };

  it('types letters straight into the text, upper case with caps on', () => {
    let r = run(LETTERS, start(LETTERS), 'sb');
    expect(r.value).toBe('sb');
    r = run(LETTERS, r, { type: 'caps' }, 'x');
    expect(r.value).toBe('sbX');
    r = run(LETTERS, r, { type: 'caps' }, 'y');
    expect(r.value).toBe('sbXy');
  });

  it('types address punctuation and spaces', () => {
    const r = run(
      LETTERS,
      start(LETTERS, '3'),
      { type: 'symbol', text: '-' },
      { type: 'symbol', text: '#' },
      { type: 'space' },
      { type: 'symbol', text: '（' },
    );
    expect(r.value).toBe('3-# （');
  });

  it('deletes the last character with backspace', () => {
    const r = run(LETTERS, start(LETTERS, '社保'), { type: 'backspace' });
    expect(r.value).toBe('社');
  });

  it('refuses layouts the field does not allow', () => {
    const r = run(LETTERS, start(LETTERS), { type: 'layout', layout: 'digits' });
    expect(r.state.layout).toBe('letters');
  });
});

describe('keyboard state: number pads', () => {
  const ID: KeyboardConfig = { layouts: ['id-number'] };
  const PHONE: KeyboardConfig = { layouts: ['phone'] };
  const DIGITS: KeyboardConfig = { layouts: ['digits'] };
  const digits = (s: string): KeyboardAction[] => [...s].map((text) => ({ type: 'symbol', text }));

  it('limits an ID number to 18 and a phone number to 11 by default', () => {
    expect(limitOf(ID)).toBe(18);
    expect(limitOf(PHONE)).toBe(11);
    expect(limitOf(DIGITS)).toBeUndefined();
    expect(limitOf({ layouts: ['phone'], maxLength: 8 })).toBe(8);
    expect(run(PHONE, start(PHONE), ...digits('1380000000012')).value).toBe('13800000000');
    expect(run(ID, start(ID), ...digits('6101021990010112345')).value).toBe('610102199001011234');
  });

  it('lets maxLength override the default', () => {
    const C: KeyboardConfig = { layouts: ['phone'], maxLength: 13 };
    expect(run(C, start(C), ...digits('1380000000012')).value).toBe('1380000000012');
  });

  it('accepts X only as the 18th character of an ID number', () => {
    expect(run(ID, start(ID), ...digits('61010X')).value).toBe('61010');
    expect(canTypeX('61010219900101123', ID)).toBe(true);
    expect(run(ID, start(ID, '61010219900101123'), { type: 'symbol', text: 'x' }).value).toBe(
      '61010219900101123X',
    );
    expect(canTypeX('61010219900101123', { layouts: ['id-number'], maxLength: 17 })).toBe(false);
  });

  it('types digits only in the phone and digit pads', () => {
    expect(run(PHONE, start(PHONE), ...digits('13a-8'), 'b', { type: 'space' }).value).toBe('138');
    expect(run(DIGITS, start(DIGITS), ...digits('4X2')).value).toBe('42');
  });
});

describe('keyboard state: digits, decimals and punctuation on every layout', () => {
  const symbols = (s: string): KeyboardAction[] => [...s].map((text) => ({ type: 'symbol', text }));
  const DECIMAL: KeyboardConfig = { layouts: ['decimal'] };

  it('types 89.56 on the decimal pad: one point, after a digit, two decimals at most', () => {
    expect(run(DECIMAL, start(DECIMAL), ...symbols('89.56')).value).toBe('89.56');
    expect(run(DECIMAL, start(DECIMAL), ...symbols('.8.9.567')).value).toBe('8.95');
    expect(run(DIGITS_ONLY, start(DIGITS_ONLY), ...symbols('89.56')).value).toBe('8956');
  });

  it('types a certificate number in pinyin: the pinyin is converted before a digit or bracket', () => {
    const typed = run(
      PINYIN,
      start(PINYIN),
      'shan',
      { type: 'pick', candidate: firstOf('shan', '陕') },
      ...symbols('（2024）'),
      'di',
      { type: 'pick', candidate: firstOf('di', '第') },
      ...symbols('0001234'),
    );
    expect(typed.value).toBe('陕（2024）第0001234');
    expect(typed.state.fullWidth).toBe(true);
  });

  it('switches between 全角 and 半角, and codes start in capitals', () => {
    const LETTERS: KeyboardConfig = { layouts: ['letters'] };
    expect(start(LETTERS).state.fullWidth).toBe(false);
    expect(run(PINYIN, start(PINYIN), { type: 'width' }).state.fullWidth).toBe(false);
    const CODE: KeyboardConfig = { layouts: ['letters'], upper: true };
    expect(run(CODE, start(CODE), ...symbols('2024-'), 'ab').value).toBe('2024-AB');
  });
});

const DIGITS_ONLY: KeyboardConfig = { layouts: ['digits'] };
