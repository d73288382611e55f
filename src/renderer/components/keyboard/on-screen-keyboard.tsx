/**
 * The kiosk's on-screen keyboard: the only way a resident types (there is no physical keyboard, and
 * the system's own on-screen keyboard is locked away in kiosk mode). Chinese by pinyin with a
 * candidate bar, letters with caps and address punctuation, and phone-style number pads for digits,
 * ID numbers and mobile numbers. Controlled: the field owns the text; this component owns only the
 * layout, the pinyin waiting to be converted and the candidate page (lib/keyboard-state.ts).
 * Every size is in rem, so 长辈模式 (a larger root font size) enlarges the keys with the text.
 */
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  candidatePages,
  canTypeX,
  decimalAllowed,
  fits,
  initialKeyboardState,
  type KeyboardAction,
  type KeyboardConfig,
  type KeyboardLayout,
  keyboardReducer,
  lengthOf,
  limitOf,
} from '../../lib/keyboard-state.js';
import { keyboardData, loadKeyboardData, onKeyboardData } from '../../lib/keyboard-data.js';
import { defaultPinyinIme, formatPieces } from '../../lib/pinyin-ime.js';
import { Icon } from '../icon.js';
import { Key } from './key.js';
import './keyboard.css';

export type { KeyboardLayout } from '../../lib/keyboard-state.js';

export type OnScreenKeyboardProps = {
  value: string;
  onChange: (next: string) => void;
  /** Which layouts the field allows; the first shows first. */
  layouts: readonly KeyboardLayout[];
  maxLength?: number | undefined;
  /** Letters in capitals from the first key (codes). */
  upper?: boolean | undefined;
  /** The 完成 / Done key. */
  onDone?: () => void;
  /** Accessible name of the keyboard: the label of the field it types into. */
  label: string;
};

const LETTER_ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'] as const;
const DIGIT_ROW = '1234567890';
/**
 * Punctuation of forms, nine keys and the 全/半 switch. 全角 for Chinese text: 陕（2024）西咸新区…,
 * 张三、李四, sentences; 半角 for codes, e-mail and web: 3-2-101, 8#, a@b.cn, A/B. The hyphen is in
 * both, for house numbers typed among Chinese (3-2-101室).
 */
export const PUNCTUATION = {
  full: ['（', '）', '，', '。', '、', '：', '；', '？', '-'],
  half: ['(', ')', ',', '.', '/', ':', '#', '@', '-'],
} as const;

/** i18n key of each layout's name. */
const LAYOUT_COPY = {
  pinyin: 'pinyin',
  letters: 'letters',
  digits: 'digits',
  decimal: 'decimal',
  'id-number': 'idNumber',
  phone: 'phone',
} as const satisfies Record<KeyboardLayout, string>;

/** The letter rows sit on a 20-column grid, so a key is 2 columns and a half-key offset is 1. */
const GRID_COLUMNS = 20;

type Press = (action: KeyboardAction) => void;

export function OnScreenKeyboard({
  value,
  onChange,
  layouts,
  maxLength,
  upper,
  onDone,
  label,
}: OnScreenKeyboardProps) {
  const { t } = useTranslation();
  const config = useMemo<KeyboardConfig>(() => ({ layouts, maxLength, upper }), [layouts, maxLength, upper]);
  const [state, setState] = useState(() => initialKeyboardState(config));
  const layout = layouts.includes(state.layout) ? state.layout : (layouts[0] ?? 'letters');
  const limit = limitOf(config);
  const full = limit !== undefined && lengthOf(value) >= limit;
  const chinese = layouts.includes('pinyin');
  // The everyday phrases and the 生僻字 table arrive as their own chunk once a Chinese field opens.
  const [dataReady, setDataReady] = useState(() => keyboardData() !== null);
  useEffect(() => {
    if (!chinese || dataReady) return;
    const stop = onKeyboardData(() => setDataReady(true));
    loadKeyboardData().catch(() => undefined);
    return stop;
  }, [chinese, dataReady]);

  const press: Press = (action) => {
    const next = keyboardReducer({ state, value }, action, config);
    setState(next.state);
    if (next.value !== value) onChange(next.value);
    if (next.done) onDone?.();
  };

  const modeKeys = layouts.length > 1 && (
    <ModeKeys layouts={layouts} current={layout} onPick={(l) => press({ type: 'layout', layout: l })} />
  );

  return (
    <div
      className="osk"
      role="group"
      aria-label={label}
      aria-roledescription={t('keyboardFlow.roleDescription')}
      data-testid="on-screen-keyboard"
      data-layout={layout}
    >
      {layout === 'pinyin' && (
        <CandidateBar
          buffer={state.buffer}
          page={state.page}
          rare={state.rare}
          ready={dataReady}
          value={value}
          config={config}
          press={press}
        />
      )}
      {layout === 'pinyin' || layout === 'letters' ? (
        <div className="osk-rows">
          <div className="osk-row osk-row-digits">
            {[...DIGIT_ROW].map((d) => (
              <Key
                key={d}
                name={d}
                className="osk-span-2 osk-punct"
                onPress={() => press({ type: 'symbol', text: d })}
              >
                {d}
              </Key>
            ))}
          </div>
          <div className="osk-row osk-row-punct">
            {(state.fullWidth ? PUNCTUATION.full : PUNCTUATION.half).map((p) => (
              <Key
                key={p}
                name={p}
                className="osk-span-2 osk-punct"
                onPress={() => press({ type: 'symbol', text: p })}
              >
                {p}
              </Key>
            ))}
            <Key
              name="width"
              className="osk-fn osk-span-2"
              pressed={state.fullWidth}
              onPress={() => press({ type: 'width' })}
            >
              {t(state.fullWidth ? 'keyboardFlow.fullWidth' : 'keyboardFlow.halfWidth')}
              <span className="visually-hidden">{t('keyboardFlow.widthName')}</span>
            </Key>
          </div>
          {LETTER_ROWS.map((row, r) => (
            <div key={row} className="osk-row">
              {r === 1 && <span className="osk-gap osk-span-1" aria-hidden="true" />}
              {r === 2 &&
                (layout === 'letters' ? (
                  <Key
                    name="caps"
                    className="osk-fn osk-span-3"
                    pressed={state.caps}
                    onPress={() => press({ type: 'caps' })}
                  >
                    <Icon name="up" />
                    {t('keyboardFlow.caps')}
                  </Key>
                ) : (
                  <Key
                    name="separator"
                    className="osk-fn osk-span-3"
                    disabled={state.buffer === '' || state.buffer.endsWith("'")}
                    onPress={() => press({ type: 'separator' })}
                  >
                    {t('keyboardFlow.separator')}
                  </Key>
                ))}
              {[...row].map((letter) => (
                <Key
                  key={letter}
                  name={letter}
                  className="osk-span-2 osk-letter"
                  onPress={() => press({ type: 'letter', letter })}
                >
                  {layout === 'letters' && state.caps ? letter.toUpperCase() : letter}
                </Key>
              ))}
              {r === 2 && <BackspaceKey press={press} className="osk-span-3" />}
            </div>
          ))}
          <div className="osk-row">
            {modeKeys}
            {layout === 'pinyin' && (
              <Key
                name="rare"
                className="osk-fn osk-span-3"
                pressed={state.rare}
                onPress={() => press({ type: 'rare' })}
              >
                {t('keyboardFlow.rare')}
              </Key>
            )}
            <Key
              name="space"
              className={`osk-fn osk-space osk-span-${spaceSpan(layouts.length, layout === 'pinyin')}`}
              onPress={() => press({ type: 'space' })}
            >
              {t('keyboardFlow.space')}
            </Key>
            <ClearKey press={press} className="osk-span-3" />
            <DoneKey press={press} className="osk-span-3" />
          </div>
        </div>
      ) : (
        <NumberPad layout={layout} value={value} config={config} press={press} modeKeys={modeKeys} />
      )}
      <p className="osk-status" role="status">
        {full ? t('keyboardFlow.full', { max: limit }) : ''}
      </p>
    </div>
  );
}

/** What is left of the bottom row for the space bar (mode keys 2 each, 生僻字 3, 清空 3, 完成 3). */
function spaceSpan(modes: number, rareKey: boolean): number {
  const modeColumns = modes > 1 ? modes * 2 : 0;
  return Math.max(2, GRID_COLUMNS - modeColumns - (rareKey ? 3 : 0) - 3 - 3);
}

function ModeKeys({
  layouts,
  current,
  onPick,
}: {
  layouts: readonly KeyboardLayout[];
  current: KeyboardLayout;
  onPick: (layout: KeyboardLayout) => void;
}) {
  const { t } = useTranslation();
  return (
    <>
      {layouts.map((l) => (
        <Key
          key={l}
          name={`layout-${l}`}
          className="osk-fn osk-mode osk-span-2"
          pressed={l === current}
          onPress={() => onPick(l)}
        >
          {/* The short label (中, 英, 123) for the eye; a screen reader hears it and the full name. */}
          {t(`keyboardFlow.layout.${LAYOUT_COPY[l]}`)}{' '}
          <span className="visually-hidden">{t(`keyboardFlow.layoutName.${LAYOUT_COPY[l]}`)}</span>
        </Key>
      ))}
    </>
  );
}

function BackspaceKey({ press, className }: { press: Press; className: string }) {
  const { t } = useTranslation();
  return (
    <Key name="backspace" className={`osk-fn ${className}`} onPress={() => press({ type: 'backspace' })}>
      <Icon name="backspace" />
      {t('keyboardFlow.backspace')}
    </Key>
  );
}

function ClearKey({ press, className }: { press: Press; className: string }) {
  const { t } = useTranslation();
  return (
    <Key name="clear" className={`osk-fn ${className}`} onPress={() => press({ type: 'clear' })}>
      {t('keyboardFlow.clear')}
    </Key>
  );
}

function DoneKey({ press, className }: { press: Press; className: string }) {
  const { t } = useTranslation();
  return (
    <Key name="done" className={`osk-primary ${className}`} onPress={() => press({ type: 'done' })}>
      <Icon name="ready" />
      {t('keyboardFlow.done')}
    </Key>
  );
}

/**
 * The pinyin being typed, and the characters and phrases it can become, one page at a time. The bar
 * keeps its height whether or not anything is typed, so the keys never move under a finger.
 */
function CandidateBar({
  buffer,
  page,
  rare,
  ready,
  value,
  config,
  press,
}: {
  buffer: string;
  page: number;
  /** The 生僻字 picker is open. */
  rare: boolean;
  /** The big data has loaded (phrases and the picker's characters). */
  ready: boolean;
  value: string;
  config: KeyboardConfig;
  press: Press;
}) {
  const { t } = useTranslation();
  // Recomputed when the data arrives: everyday phrases join, the picker fills.
  const pages = useMemo(
    () => (ready || !rare ? candidatePages(buffer, undefined, rare) : []),
    [buffer, rare, ready],
  );
  const spelt = useMemo(() => formatPieces(defaultPinyinIme().segment(buffer)), [buffer]);
  const shown = pages[Math.min(page, pages.length - 1)] ?? [];
  return (
    <div className="osk-ime">
      <div className="osk-ime-head">
        <p className="osk-buffer" aria-live="polite">
          {buffer !== '' && (
            <>
              <span className="visually-hidden">{t('keyboardFlow.composing')}</span>
              <span lang="zh-Latn">{spelt}</span>
            </>
          )}
        </p>
        {pages.length > 1 && (
          <span className="osk-page-of">
            {t('keyboardFlow.pageOf', { page: page + 1, pages: pages.length })}
          </span>
        )}
        <Key
          name="prev-page"
          className="osk-fn osk-pager"
          disabled={page <= 0}
          onPress={() => press({ type: 'page', delta: -1 })}
        >
          <Icon name="next" className="osk-flip" />
          {t('keyboardFlow.prevPage')}
        </Key>
        <Key
          name="next-page"
          className="osk-fn osk-pager"
          disabled={page >= pages.length - 1}
          onPress={() => press({ type: 'page', delta: 1 })}
        >
          {t('keyboardFlow.nextPage')}
          <Icon name="next" />
        </Key>
      </div>
      <div className="osk-candidates" role="group" aria-label={t('keyboardFlow.candidates')}>
        {shown.length === 0 && (
          <p className="osk-hint">
            {t(
              rare
                ? !ready
                  ? 'keyboardFlow.rareLoading'
                  : buffer === ''
                    ? 'keyboardFlow.rareHint'
                    : 'keyboardFlow.noCandidates'
                : buffer === ''
                  ? 'keyboardFlow.hint'
                  : 'keyboardFlow.noCandidates',
            )}
          </p>
        )}
        {shown.map((c, i) => (
          <Key
            key={`${c.text}/${c.consumed}`}
            name={`candidate-${c.text}`}
            className={page === 0 && i === 0 ? 'osk-candidate osk-candidate-first' : 'osk-candidate'}
            disabled={!fits(value, c.text, config)}
            // Chinese text even in the English UI: read and shaped as Chinese.
            lang="zh-CN"
            onPress={() => press({ type: 'pick', candidate: c })}
          >
            {c.text}
            {c.strokes !== undefined && (
              <span className="osk-strokes">{t('keyboardFlow.strokes', { count: c.strokes })}</span>
            )}
          </Key>
        ))}
      </div>
    </div>
  );
}

/**
 * 1–9 in a phone's order with 0 below (X beside it on the ID-number pad), and 删除, 清空 and a tall
 * 完成 in the right-hand column: one grid, so the keys line up whatever the labels' lengths.
 */
function NumberPad({
  layout,
  value,
  config,
  press,
  modeKeys,
}: {
  layout: KeyboardLayout;
  value: string;
  config: KeyboardConfig;
  press: Press;
  modeKeys: ReactNode;
}) {
  const digit = (d: string) => (
    <Key key={d} name={d} className="osk-digit" onPress={() => press({ type: 'symbol', text: d })}>
      {d}
    </Key>
  );
  return (
    <div className="osk-pad-wrap">
      {modeKeys && <div className="osk-modes">{modeKeys}</div>}
      <div className="osk-pad">
        {[...'123'].map(digit)}
        <BackspaceKey press={press} className="osk-pad-fn" />
        {[...'456'].map(digit)}
        <ClearKey press={press} className="osk-pad-fn" />
        {[...'789'].map(digit)}
        <DoneKey press={press} className="osk-pad-done" />
        {layout === 'decimal' && (
          <Key
            name="."
            className="osk-digit"
            disabled={!decimalAllowed(value, '.')}
            onPress={() => press({ type: 'symbol', text: '.' })}
          >
            .
          </Key>
        )}
        {layout === 'id-number' && (
          <Key
            name="X"
            className="osk-digit"
            disabled={!canTypeX(value, config)}
            onPress={() => press({ type: 'symbol', text: 'X' })}
          >
            X
          </Key>
        )}
        <Key
          name="0"
          className={
            layout === 'id-number' || layout === 'decimal'
              ? 'osk-digit osk-pad-zero-id'
              : 'osk-digit osk-pad-zero'
          }
          onPress={() => press({ type: 'symbol', text: '0' })}
        >
          0
        </Key>
      </div>
    </div>
  );
}
