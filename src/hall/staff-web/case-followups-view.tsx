/**
 * A case's 差评 follow-ups in its detail (issue 10 item 7): for a role that reads supervision, each
 * follow-up the case's bad reviews opened, as a link that opens it on the 好差评整改 tab
 * (desk-links.ts). Fetched fresh with the case, so a review synced since sign-in is there.
 */
import { useEffect, useState, type ReactNode } from 'react';
import type { FollowupView } from '../followups.js';
import type { Desk } from './desk.js';
import { followupLink } from './desk-links.js';
import { inLanguage, useDeskText, type DeskText } from './desk-i18n.js';
import { deskZh } from './desk-zh-cn.js';

type Level = keyof typeof deskZh.detail.levels;
const isLevel = (level: string): level is Level => Object.hasOwn(deskZh.detail.levels, level);

/** A review's level in the language shown (the hall sends it in Chinese; an unknown level as sent). */
const levelWords = (f: Pick<FollowupView, 'level' | 'levelName'>, t: DeskText): string =>
  isLevel(f.level) ? t(`detail.levels.${f.level}`) : f.levelName;

export function CaseFollowups(props: { desk: Desk; caseId: string }): ReactNode {
  const { t, language } = useDeskText();
  const { desk, caseId } = props;
  const allowed = desk.may('supervision.read');
  const [mine, setMine] = useState<FollowupView[] | null>(null);
  useEffect(() => {
    if (!allowed) return undefined;
    let live = true;
    void desk.api.followups().then((r) => {
      if (live && r.ok) setMine(r.value.followups.filter((f) => f.case?.id === caseId));
    });
    return () => {
      live = false;
    };
  }, [allowed, desk, caseId]);
  if (!allowed) return <div data-testid="case-followups" />;
  return (
    <div data-testid="case-followups">
      <h3>{t('detail.followups')}</h3>
      {mine === null ? null : mine.length === 0 ? (
        <p className="hint">{t('detail.noFollowups')}</p>
      ) : (
        <ul className="case-followups">
          {mine.map((f) => (
            <li key={f.id}>
              <a href={followupLink(f.id)} data-followup-link={String(f.id)}>
                {t('detail.followup', {
                  id: f.id,
                  level: levelWords(f, t),
                  state: inLanguage(f.stateName, language),
                })}
              </a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
