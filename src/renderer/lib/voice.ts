/**
 * Voice prompts (docs/resident-journey.md, "Around every flow"): key steps are spoken with the
 * browser's speech synthesis where it exists (Electron on a kiosk with a speaker); where it does not,
 * nothing happens and nothing fails. The resident can switch it off. Elderly-friendly guidelines ask
 * for errors "also in text or voice".
 */
export type Voice = {
  enabled: boolean;
  available: boolean;
  setEnabled: (on: boolean) => void;
  say: (text: string) => void;
  cancel: () => void;
};

function synth(): SpeechSynthesis | null {
  return typeof window !== 'undefined' && 'speechSynthesis' in window ? window.speechSynthesis : null;
}

/** Spoken prompts, newest last; the e2e tests read them to check what the resident heard. */
export const spokenLog: string[] = [];
if (typeof window !== 'undefined')
  (window as Window & { __kioskSpoken?: string[] }).__kioskSpoken = spokenLog;

export function createVoice(enabled: boolean, setEnabled: (on: boolean) => void): Voice {
  const s = synth();
  return {
    enabled,
    available: s !== null,
    setEnabled,
    say(text) {
      if (!enabled) return;
      spokenLog.push(text);
      if (spokenLog.length > 50) spokenLog.shift();
      if (!s || typeof SpeechSynthesisUtterance === 'undefined') return;
      try {
        s.cancel();
        const u = new SpeechSynthesisUtterance(text);
        u.lang = document.documentElement.lang === 'en' ? 'en-US' : 'zh-CN';
        u.rate = 0.9;
        s.speak(u);
      } catch {
        // No voice installed: silent, never an error on screen.
      }
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
