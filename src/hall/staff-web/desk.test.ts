import { describe, expect, it } from 'vitest';
import { createDeskBridge, messageText, type StatusMessage } from './desk.js';
import { createDeskI18n, deskTextOf } from './desk-i18n.js';

const i18n = createDeskI18n();
const zh = deskTextOf(i18n, 'zh-CN');
const en = deskTextOf(i18n, 'en');

describe('the status line’s messages', () => {
  it('puts a key or words into the language shown each time', () => {
    const calling: StatusMessage = { key: 'queue.calling', vars: { number: 'E001' } };
    expect(messageText(calling, zh, 'zh-CN')).toBe('请 E001 号到窗口办理');
    expect(messageText(calling, en, 'en')).toBe('Now calling E001');
    const words: StatusMessage = { words: (t, language) => `${t('help.hungUp')} (${language})` };
    expect(messageText(words, zh, 'zh-CN')).toBe('对方已挂断 (zh-CN)');
    expect(messageText(words, en, 'en')).toBe('The resident hung up (en)');
  });

  it('reach the page as messages, not as finished text (a language switch redraws them)', () => {
    const bridge = createDeskBridge(() => Promise.reject(new Error('no requests here')));
    const said: [StatusMessage, boolean | undefined][] = [];
    bridge.desk.say({ key: 'help.taken' }, true); // before the page binds: nowhere to say it
    bridge.bind({ say: (message, bad) => said.push([message, bad]), ended: () => undefined });
    const exported: StatusMessage = { key: 'stats.exported', vars: { format: 'Excel' } };
    bridge.desk.say(exported);
    bridge.desk.say({ key: 'queue.nobody' }, true);
    expect(said).toEqual([
      [exported, undefined],
      [{ key: 'queue.nobody' }, true],
    ]);
    expect(said[0]?.[0]).toBe(exported);
  });
});
