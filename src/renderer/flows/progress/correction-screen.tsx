/**
 * 补齐补正 at the kiosk (docs/domain.md, "补齐补正"; reform point 7, 最多跑一次): the applicant identifies with the ID
 * card (a supplement is part of the application, so it needs the card), captures each requested material,
 * and submits. One idempotency key per screen, reused on retry: a lost answer never files twice.
 */
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApplicationDetail, SessionView } from '../../../shared/browser.js';
import { submitSupplement, useApplication } from '../../api/index.js';
import { MaterialCapture } from '../../components/capture/material-capture.js';
import { Icon } from '../../components/icon.js';
import { ResultView, SessionExpiredPanel } from '../../components/query-view.js';
import { useLanguage } from '../../hooks/use-language.js';
import { pick } from '../../i18n/localized.js';
import { useResidentSession, useVoicePrompt } from '../../session/session-context.js';
import { formatDateTime, missingMaterials } from './progress-view.js';

export function CorrectionScreen({
  id,
  steps,
  onDone,
}: {
  id: string;
  steps: ReactNode;
  onDone: (detail: ApplicationDetail) => void;
}) {
  const detail = useApplication(useResidentSession().session?.id ?? null, id);
  return <ResultView query={detail}>{(d) => <Correction d={d} steps={steps} onDone={onDone} />}</ResultView>;
}

type Problem =
  | { kind: 'missing'; codes: string[] }
  | { kind: 'failed' }
  | { kind: 'sessionExpired' }
  | { kind: 'noCorrection' }
  | { kind: 'accessDenied' }
  | { kind: 'storageFull' };

function Correction({
  d,
  steps,
  onDone,
}: {
  d: ApplicationDetail;
  steps: ReactNode;
  onDone: (detail: ApplicationDetail) => void;
}) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const { session, update } = useResidentSession();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const correction = d.status === 'correction-requested' ? d.correction : null;
  useVoicePrompt(t('progressFlow.correction.captureIntro'));

  if (!correction) {
    return (
      <div className="notice notice-warn" role="status" data-testid="correction-none">
        <Icon name="warning" />
        <p>{t('progressFlow.correction.noCorrection')}</p>
      </div>
    );
  }
  const header = (
    <header className="screen-head">
      <p className="screen-kicker">{pick(d.itemName, lang)}</p>
      <h2 className="screen-title">
        <Icon name="scanner" />
        {t('progressFlow.correction.captureTitle')}
      </h2>
      <p className="screen-intro">
        {t('progressFlow.correction.requestedAt', { at: formatDateTime(correction.requestedAt) })}
      </p>
      {correction.note && (
        <p className="screen-intro correction-note">
          {t('progressFlow.correction.note', { note: correction.note })}
        </p>
      )}
    </header>
  );
  // A new page answers "still missing": the message goes until the next submit says otherwise.
  const captured = (view: SessionView) => {
    update(view);
    setProblem(null);
  };

  // The application opened at all only for the applicant's card or the receipt's access code in this
  // session (case-access.ts): no second card is asked for here.
  if (!session) {
    return (
      <section className="correction" data-testid="correction-identify">
        {header}
        <SessionExpiredPanel />
      </section>
    );
  }

  const names = (codes: readonly string[]) =>
    codes.map((c) => {
      const m = correction.materials.find((x) => x.code === c);
      return m ? pick(m.name, lang) : c;
    });

  const submit = async () => {
    const missing = missingMaterials(correction.materials, session.captured);
    if (missing.length > 0) {
      setProblem({ kind: 'missing', codes: missing });
      return;
    }
    setBusy(true);
    setProblem(null);
    const r = await submitSupplement(session.id, d.id, idempotencyKey);
    setBusy(false);
    if (r.ok) {
      onDone(r.value.application);
      return;
    }
    switch (r.error.kind) {
      case 'missing-materials':
        setProblem({ kind: 'missing', codes: r.error.materials });
        break;
      case 'session-expired':
        setProblem({ kind: 'sessionExpired' });
        break;
      case 'access-denied':
      case 'too-many-attempts':
        setProblem({ kind: 'accessDenied' });
        break;
      case 'no-correction':
      case 'not-found':
        setProblem({ kind: 'noCorrection' });
        break;
      case 'storage-full':
        setProblem({ kind: 'storageFull' });
        break;
      case 'storage':
      case 'failed':
        setProblem({ kind: 'failed' });
        break;
      default: {
        const never: never = r.error;
        return never;
      }
    }
  };

  return (
    <section className="correction" data-testid="correction-capture">
      {header}
      {steps}
      <p className="correction-intro">{t('progressFlow.correction.captureIntro')}</p>
      <div className="correction-list">
        {correction.materials.map((m) => (
          <div key={m.code} className="correction-material" data-material={m.code}>
            <MaterialCapture
              sessionId={session.id}
              material={m}
              pages={session.captured[m.code] ?? []}
              onChange={captured}
            />
          </div>
        ))}
      </div>
      <div className="correction-problem" aria-live="assertive">
        {problem && (
          <div
            className="notice notice-bad"
            role="alert"
            data-testid="correction-problem"
            data-kind={problem.kind}
          >
            <Icon name="warning" />
            <p>
              {problem.kind === 'missing'
                ? t('progressFlow.correction.missing', {
                    materials: names(problem.codes).join(lang === 'en' ? ', ' : '、'),
                  })
                : problem.kind === 'sessionExpired'
                  ? t('sessionFlow.expired')
                  : t(`progressFlow.correction.${problem.kind}`)}
            </p>
          </div>
        )}
      </div>
      <div className="detail-actions">
        <button
          type="button"
          className="btn btn-primary btn-big"
          data-testid="correction-submit"
          disabled={busy}
          onClick={() => void submit()}
        >
          {busy ? <span className="spinner spinner-small" aria-hidden="true" /> : <Icon name="ready" />}
          {busy ? t('progressFlow.correction.submitting') : t('progressFlow.correction.submit')}
        </button>
      </div>
    </section>
  );
}
