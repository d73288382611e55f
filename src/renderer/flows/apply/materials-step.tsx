/**
 * Step 5, 提交材料: every material of the plan. One the hall holds as a confirmed shared e-licence is
 * not asked for (已调用电子证照，无需提交); one it could not confirm now (offline) is asked for like any
 * other, with a short note why. Required materials need at least one page to go on.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApplyPlan, SessionView } from '../../../shared/browser.js';
import { Icon } from '../../components/icon.js';
import { MaterialCapture } from '../../components/capture/material-capture.js';
import { useLanguage } from '../../hooks/use-language.js';
import { pick } from '../../i18n/localized.js';
import { useResidentSession } from '../../session/session-context.js';
import { Actions, NextButton, StepHead } from './apply-ui.js';
import { missingMaterials } from './form-logic.js';

export function MaterialsStep({
  plan,
  session,
  onNext,
}: {
  plan: ApplyPlan;
  session: SessionView;
  onNext: () => void;
}) {
  const { t } = useTranslation();
  const lang = useLanguage();
  const { update, voice } = useResidentSession();
  const [tried, setTried] = useState(false);
  const missing = missingMaterials(plan.materials, session.captured);

  const next = () => {
    setTried(true);
    if (missing.length === 0) {
      onNext();
      return;
    }
    // Refused: said as well as shown — which materials are still missing.
    voice.say(
      `${t('sessionFlow.voice.errors.materials')} ${t('applyFlow.materials.missing', {
        count: missing.length,
        names: missing.map((m) => pick(m.name, lang)).join(lang === 'en' ? ', ' : '、'),
      })}`,
    );
  };

  return (
    <section className="apply-materials" data-testid="materials-step">
      <StepHead title={t('applyFlow.materials.title')} intro={t('applyFlow.materials.intro')} />
      {plan.materials.length === 0 && <p className="card apply-panel">{t('applyFlow.materials.none')}</p>}
      <ol className="apply-material-steps">
        {plan.materials.map((m) => (
          <li key={m.code} className="apply-material" data-material={m.code} data-licence={m.licence}>
            <p className="apply-material-tags">
              <span className={m.required ? 'req req-yes' : 'req req-no'}>
                {m.required ? t('applyFlow.materials.required') : t('applyFlow.materials.optional')}
              </span>
              {m.licence === 'unconfirmed' && (
                <span className="apply-material-note" data-testid="licence-unconfirmed">
                  <Icon name="warning" />
                  {t('applyFlow.materials.licenceUnconfirmed')}
                </span>
              )}
            </p>
            {m.licence === 'confirmed' ? (
              <div className="card apply-licence" data-testid="licence-confirmed">
                <h3 className="capture-title">
                  <Icon name="apply" />
                  {pick(m.name, lang)}
                </h3>
                <p className="badge badge-licence apply-licence-badge">
                  <Icon name="licence" />
                  {t('applyFlow.materials.licenceConfirmed')}
                </p>
              </div>
            ) : (
              <MaterialCapture
                sessionId={session.id}
                material={{ code: m.code, name: m.name, requirements: m.requirements }}
                pages={session.captured[m.code] ?? []}
                onChange={update}
              />
            )}
          </li>
        ))}
      </ol>

      {tried && missing.length > 0 && (
        <div className="notice notice-bad" role="alert" data-testid="materials-missing">
          <Icon name="warning" />
          <p>
            {t('applyFlow.materials.missing', {
              count: missing.length,
              names: missing.map((m) => pick(m.name, lang)).join('、'),
            })}
          </p>
        </div>
      )}
      <Actions>
        <NextButton onClick={next} />
      </Actions>
    </section>
  );
}
