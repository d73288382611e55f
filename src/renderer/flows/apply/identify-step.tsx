/**
 * Step 1, 身份核验: 本人办理 (the applicant's card) or 帮办代办 (the helper's card first, then the
 * applicant's; both recorded with the application). Only masked identities are ever on screen.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionView } from '../../../shared/browser.js';
import { setMode as setSessionMode, type SetModeError } from '../../api/index.js';
import { Icon } from '../../components/icon.js';
import { IdentifyPanel } from '../../session/identify-panel.js';
import { useResidentSession } from '../../session/session-context.js';
import { Actions, IdentityChip, NextButton, StepHead } from './apply-ui.js';
import { useStepBack } from './step-back.js';

type Phase = 'choose' | 'helper' | 'applicant';

export function isIdentified(s: SessionView | null): s is SessionView {
  return s !== null && s.applicant !== null && (s.mode === 'self' || s.helper !== null);
}

export function IdentifyStep({ onIdentified }: { onIdentified: () => void }) {
  const { t } = useTranslation();
  const { session, ensure, update } = useResidentSession();
  const [phase, setPhase] = useState<Phase | 'done'>(() => (isIdentified(session) ? 'done' : 'choose'));
  const [mode, setMode] = useState<'self' | 'assisted'>(session?.mode ?? 'self');
  const [failed, setFailed] = useState<SetModeError['kind'] | null>(null);
  const [pending, setPending] = useState(false);

  // 上一步 inside this step: from a card prompt back to the choice of mode.
  useStepBack(() => {
    if (phase === 'helper' || phase === 'applicant') {
      setPhase('choose');
      return true;
    }
    return false;
  });

  const choose = async (next: 'self' | 'assisted') => {
    if (pending) return;
    setPending(true);
    setFailed(null);
    const s = await ensure('touch').catch(() => null);
    const r = s ? await setSessionMode(s.id, next) : null;
    if (r?.ok) {
      update(r.value);
      setMode(next);
      setPhase(next === 'assisted' ? 'helper' : 'applicant');
    } else setFailed(r?.error.kind ?? 'failed');
    setPending(false);
  };

  if (phase === 'done' && isIdentified(session)) {
    return (
      <section data-testid="identify-done">
        <StepHead title={t('applyFlow.mode.done')} intro={t('applyFlow.mode.doneIntro')} />
        <div className="card apply-panel">
          <IdentityChip session={session} />
        </div>
        <Actions>
          <button
            type="button"
            className="btn btn-big"
            onClick={() => setPhase('choose')}
            data-testid="identify-change"
          >
            <Icon name="idcard" />
            {t('applyFlow.mode.change')}
          </button>
          <NextButton onClick={onIdentified} label={t('applyFlow.continue')} />
        </Actions>
      </section>
    );
  }

  if (phase === 'helper') {
    return <IdentifyPanel key="helper" role="helper" onIdentified={() => setPhase('applicant')} />;
  }

  if (phase === 'applicant') {
    return (
      <>
        {mode === 'assisted' && session?.helper && (
          <div className="notice notice-ok apply-helper-read" role="status" data-testid="helper-read">
            <Icon name="ready" />
            <p>{t('applyFlow.mode.applicantNext')}</p>
          </div>
        )}
        <IdentifyPanel
          key="applicant"
          role="applicant"
          onIdentified={(view) => {
            if (isIdentified(view)) onIdentified();
          }}
        />
      </>
    );
  }

  return (
    <section data-testid="identify-mode">
      <StepHead title={t('applyFlow.mode.title')} intro={t('applyFlow.mode.intro')} />
      <div className="mode-grid">
        <button
          type="button"
          className="mode-tile"
          onClick={() => void choose('self')}
          disabled={pending}
          data-testid="mode-self"
        >
          <span className="mode-icon" aria-hidden="true">
            <Icon name="idcard" />
          </span>
          <span className="mode-text">
            <span className="mode-label">{t('applyFlow.mode.self')}</span>
            <span className="mode-hint">{t('applyFlow.mode.selfHint')}</span>
          </span>
        </button>
        <button
          type="button"
          className="mode-tile"
          onClick={() => void choose('assisted')}
          disabled={pending}
          data-testid="mode-assisted"
        >
          <span className="mode-icon" aria-hidden="true">
            <Icon name="help" />
          </span>
          <span className="mode-text">
            <span className="mode-label">{t('applyFlow.mode.assisted')}</span>
            <span className="mode-hint">{t('applyFlow.mode.assistedHint')}</span>
          </span>
        </button>
      </div>
      {failed && (
        <div className="notice notice-bad" role="alert" data-kind={failed}>
          <Icon name="warning" />
          <p>{failed === 'session-expired' ? t('sessionFlow.expired') : t('applyFlow.loadFailed')}</p>
        </div>
      )}
    </section>
  );
}
