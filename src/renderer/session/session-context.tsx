/**
 * The resident session on the screen (docs/resident-journey.md, "Around every flow"): one session per
 * resident, started by the first touch on a service tile or by a card on the reader, ended — and wiped on the
 * backend — on finish, timeout or 返回首页. Flows read the (masked) session from here and report back when they
 * are done. Also: the back handler (上一步 inside a multi-step flow) and voice prompts.
 */
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import type { EndReason, SessionView } from '../../shared/browser.js';
import { endSession, startSession } from '../api/index.js';
import { createVoice, type Voice, type VoiceMemory } from '../lib/voice.js';

export type ResidentSession = {
  session: SessionView | null;
  /** The live session, started now if there is none. */
  ensure: (trigger?: 'touch' | 'card') => Promise<SessionView>;
  /** Replace the view after a call that returned a fresh one (identify, scan, remove page…). */
  update: (view: SessionView) => void;
  /** Ends and wipes the session on the backend; the app then shows the farewell reminder. */
  end: (reason: EndReason) => Promise<void>;
  voice: Voice;
};

const Ctx = createContext<ResidentSession | null>(null);

export function useResidentSession(): ResidentSession {
  const v = useContext(Ctx);
  if (!v) throw new Error('useResidentSession outside <ResidentSessionProvider>');
  return v;
}

export function ResidentSessionProvider({
  children,
  onEnded,
}: {
  children: ReactNode;
  /** `ended`: the session as it was (what it held decides the farewell). */
  onEnded: (reason: EndReason, ended: SessionView | null) => void;
}) {
  const [session, setSession] = useState<SessionView | null>(null);
  const current = useRef<SessionView | null>(null);
  const starting = useRef<Promise<SessionView> | null>(null);
  // On by default — for every resident (reset when a session ends) and in 长辈模式 (app.tsx).
  const [voiceOn, setVoiceOn] = useState(true);
  // One mutable holder for the component's life (再听一遍 reads it in a click, never in render).
  const [voiceMemory] = useState<VoiceMemory>(() => ({ last: null }));
  const voice = useMemo(() => createVoice(voiceOn, setVoiceOn, voiceMemory), [voiceOn, voiceMemory]);

  const update = useCallback((view: SessionView) => {
    current.current = view;
    setSession(view);
  }, []);

  const ensure = useCallback(
    async (trigger: 'touch' | 'card' = 'touch'): Promise<SessionView> => {
      if (current.current) return current.current;
      starting.current ??= startSession(trigger).then((v) => {
        update(v);
        return v;
      });
      try {
        return await starting.current;
      } finally {
        starting.current = null;
      }
    },
    [update],
  );

  const end = useCallback(
    async (reason: EndReason) => {
      const ended = current.current;
      const id = ended?.id ?? null;
      current.current = null;
      setSession(null);
      voice.cancel();
      // The next resident starts with voice on, whatever this one chose — and 再听一遍 never replays
      // this resident's prompts (their receipt number) to them.
      voice.forget();
      setVoiceOn(true);
      // A failed call changes nothing here: the backend's own backstop wipes the session anyway,
      // and the screen must not hang on it.
      await endSession(id, reason);
      onEnded(reason, ended);
    },
    [onEnded, voice],
  );

  const value = useMemo(
    () => ({ session, ensure, update, end, voice }),
    [session, ensure, update, end, voice],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

// ---------------------------------------------------------------------------------------------
// 上一步 inside a flow: the innermost registered handler gets the first say.

type BackHandler = () => boolean;
const BackCtx = createContext<{ register: (h: BackHandler) => () => void } | null>(null);

export function BackHandlerProvider({
  children,
  handlers,
}: {
  children: ReactNode;
  handlers: React.MutableRefObject<BackHandler[]>;
}) {
  const register = useCallback(
    (h: BackHandler) => {
      handlers.current.push(h);
      return () => {
        handlers.current = handlers.current.filter((x) => x !== h);
      };
    },
    [handlers],
  );
  const value = useMemo(() => ({ register }), [register]);
  return <BackCtx.Provider value={value}>{children}</BackCtx.Provider>;
}

/**
 * A multi-step flow registers this: return true when it went one step back itself, false when it
 * is at its first step (the app then leaves the flow).
 */
export function useBackHandler(handler: BackHandler): void {
  const ctx = useContext(BackCtx);
  const ref = useRef(handler);
  useEffect(() => {
    ref.current = handler;
  }, [handler]);
  useEffect(() => ctx?.register(() => ref.current()), [ctx]);
}

/** Speaks `text` once when it changes (a step's prompt), if voice is on. */
export function useVoicePrompt(text: string | null): void {
  const { voice } = useResidentSession();
  useEffect(() => {
    if (text) voice.say(text);
  }, [text, voice]);
}
