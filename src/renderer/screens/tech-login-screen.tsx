/**
 * The technician's PIN pad, reached by the hidden gesture on the home screen's title. Large on-screen
 * digit keys (no keyboard needed; a plugged-in one works too), the PIN shown only as dots, and the
 * backend's answer in words: attempts left, locked until when, or how to set a PIN at all.
 */
import { useCallback, useEffect, useReducer } from 'react';
import { useTranslation } from 'react-i18next';
import { useTechLogin } from '../api/index.js';
import { Icon } from '../components/icon.js';
import { canSubmit, initialPinState, pinReducer, pinSlots, type PinFeedback } from '../lib/pin-pad.js';
import { formatTimeOfDay } from '../lib/tech-console.js';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

export function TechLoginScreen({
  feedback,
  onSignedIn,
}: {
  feedback: PinFeedback;
  onSignedIn: (session: string) => void;
}) {
  const { t } = useTranslation();
  const [state, dispatch] = useReducer(pinReducer, { ...initialPinState, feedback });
  const login = useTechLogin();
  const { mutateAsync } = login;

  const submit = useCallback(() => {
    if (!canSubmit(state)) return;
    dispatch({ type: 'submit' });
    mutateAsync({ pin: state.digits }).then(
      (result) => {
        if (result.ok) onSignedIn(result.value.session);
        else dispatch({ type: 'refused', error: result.error });
      },
      () => dispatch({ type: 'failed' }),
    );
  }, [state, mutateAsync, onSignedIn]);

  // A technician with a keyboard may type the PIN instead.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (/^\d$/.test(e.key)) dispatch({ type: 'digit', digit: e.key });
      else if (e.key === 'Backspace') dispatch({ type: 'backspace' });
      else if (e.key === 'Escape') dispatch({ type: 'clear' });
      else if (e.key === 'Enter' && !(e.target instanceof HTMLButtonElement)) submit();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [submit]);

  const slots = pinSlots(state);
  return (
    <section className="pin-screen card" aria-labelledby="pin-title" data-testid="pin-pad">
      <span className="pending-icon">
        <Icon name="lock" />
      </span>
      <h2 id="pin-title" className="screen-title">
        {t('tech.title')}
      </h2>
      <p className="pin-prompt">{t('tech.pin.prompt')}</p>

      <div className="pin-dots" data-testid="pin-dots" data-count={state.digits.length}>
        {slots.map((filled, i) => (
          <span key={i} className={filled ? 'pin-dot filled' : 'pin-dot'} aria-hidden="true" />
        ))}
        <span className="visually-hidden" aria-live="polite">
          {t('tech.pin.entered', { count: state.digits.length })}
        </span>
      </div>

      <div className="pin-feedback-slot" aria-live="assertive" data-testid="pin-feedback">
        <PinMessage feedback={state.feedback} checking={state.checking} />
      </div>

      <div className="pin-keys" role="group" aria-label={t('tech.pin.keypad')}>
        {KEYS.map((k) => (
          <button
            key={k}
            type="button"
            className="btn pin-key"
            disabled={state.checking}
            onClick={() => dispatch({ type: 'digit', digit: k })}
          >
            {k}
          </button>
        ))}
        <button
          type="button"
          className="btn pin-key pin-key-word"
          disabled={state.checking || state.digits === ''}
          onClick={() => dispatch({ type: 'clear' })}
        >
          {t('tech.pin.clear')}
        </button>
        <button
          type="button"
          className="btn pin-key"
          disabled={state.checking}
          onClick={() => dispatch({ type: 'digit', digit: '0' })}
        >
          0
        </button>
        <button
          type="button"
          className="btn pin-key pin-key-word"
          disabled={state.checking || state.digits === ''}
          onClick={() => dispatch({ type: 'backspace' })}
        >
          <Icon name="backspace" />
          {t('tech.pin.delete')}
        </button>
      </div>
      <button
        type="button"
        className="btn btn-primary btn-bar pin-submit"
        data-testid="pin-submit"
        disabled={!canSubmit(state)}
        onClick={submit}
      >
        <Icon name="ready" />
        {state.checking ? t('tech.pin.checking') : t('tech.pin.submit')}
      </button>
      <p className="pin-hint">{t('tech.pin.hint')}</p>
    </section>
  );
}

function PinMessage({ feedback, checking }: { feedback: PinFeedback; checking: boolean }) {
  const { t } = useTranslation();
  if (checking) return <p className="pin-message tone-info">{t('tech.pin.checking')}</p>;
  switch (feedback.kind) {
    case 'none':
      return null;
    case 'wrong-pin':
      return (
        <p className="pin-message tone-bad" role="alert">
          <Icon name="fault" />
          <span>{t('tech.pin.wrong', { count: feedback.attemptsLeft })}</span>
        </p>
      );
    case 'locked':
      return (
        <p className="pin-message tone-bad" role="alert">
          <Icon name="lock" />
          <span>{t('tech.pin.locked', { time: formatTimeOfDay(feedback.retryAt) })}</span>
        </p>
      );
    case 'no-pin-set':
      return (
        <div className="pin-message tone-warn" role="alert">
          <Icon name="warning" />
          <span>
            {t('tech.pin.noPin')}
            <code className="command">npm run cli -- tech set-pin</code>
          </span>
        </div>
      );
    case 'expired':
      return (
        <p className="pin-message tone-warn" role="alert">
          <Icon name="clock" />
          <span>{t('tech.pin.expired')}</span>
        </p>
      );
    case 'failed':
      return (
        <p className="pin-message tone-bad" role="alert">
          <Icon name="warning" />
          <span>{t('tech.pin.failed')}</span>
        </p>
      );
    default: {
      const never: never = feedback;
      return never;
    }
  }
}
