/**
 * Voice prompts (docs/resident-journey.md, "Around every flow"): key steps are spoken with the
 * browser's speech synthesis where it exists (Electron on a kiosk with a speaker); where it does not,
 * nothing happens and nothing fails. The resident can switch it off. Elderly-friendly guidelines ask
 * for errors "also in text or voice". The last prompt is kept so 再听一遍 can say it again; what is said
 * comes from voice-prompts.ts and never holds personal data.
 */
export type Voice = {
  enabled: boolean;
  available: boolean;
  setEnabled: (on: boolean) => void;
  say: (text: string) => void;
  /** 再听一遍: the last prompt said, again (nothing when nothing was said yet or voice is off). */
  repeat: () => void;
  /** Drops the last prompt (a session ended: the next resident never hears this one's). */
  forget: () => void;
  cancel: () => void;
};

/** The last prompt, kept across the Voice objects made when voice is switched off and on. */
export type VoiceMemory = { last: string | null };

function synth(): SpeechSynthesis | null {
  return typeof window !== 'undefined' && 'speechSynthesis' in window ? window.speechSynthesis : null;
}

/** Spoken prompts, newest last; the e2e tests read them to check what the resident heard. */
export const spokenLog: string[] = [];
if (typeof window !== 'undefined')
  (window as Window & { __kioskSpoken?: string[] }).__kioskSpoken = spokenLog;

export function createVoice(
  enabled: boolean,
  setEnabled: (on: boolean) => void,
  memory: VoiceMemory = { last: null },
): Voice {
  const s = synth();
  const speak = (text: string) => {
    spokenLog.push(text);
    if (spokenLog.length > 50) spokenLog.shift();
    if (!s || typeof SpeechSynthesisUtterance === 'undefined') return;
    try {
      s.cancel();
      const u = new SpeechSynthesisUtterance(text);
      u.lang = document.documentElement.lang === 'en' ? 'en-US' : 'zh-CN';
      // 长辈模式 speaks more slowly.
      u.rate = document.documentElement.classList.contains('elderly') ? 0.75 : 0.9;
      s.speak(u);
    } catch {
      // No voice installed: silent, never an error on screen.
    }
  };
  return {
    enabled,
    available: s !== null,
    setEnabled,
    say(text) {
      if (!enabled || text === '') return;
      memory.last = text;
      speak(text);
    },
    repeat() {
      if (enabled && memory.last) speak(memory.last);
    },
    forget() {
      memory.last = null;
    },
    cancel() {
      try {
        s?.cancel();
      } catch {
        /* nothing to stop */
      }
    },
  };
}
