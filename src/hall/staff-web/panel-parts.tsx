/** Small pieces the desk's React panels share: a light as a badge (words, colour and a symbol). */
import type { ReactNode } from 'react';
import { inLanguage, type DeskLanguage } from './desk-i18n.js';
import type { Light } from './format.js';

export function LightBadge({ light, language }: { light: Light; language: DeskLanguage }): ReactNode {
  return (
    <span className={`badge lv-${light.level}`} data-icon={light.icon} data-level={light.level}>
      {inLanguage(light.words, language)}
    </span>
  );
}
