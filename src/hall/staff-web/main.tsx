/**
 * The hall's staff desk (GET /staff, served as /staff/app.js): the React app of desk-app.tsx in the
 * desk's languages (desk-i18n.ts, Chinese first). Built by `npm run build:staff`
 * (vite.staff.config.ts) into dist/staff; the hall serves the built files under a CSP that allows
 * only its own script, style and API.
 */
import './app.css';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { DeskApp } from './desk-app.js';
import { createDeskI18n, deskTextOf, isDeskLanguage } from './desk-i18n.js';

function start(): void {
  const root = document.getElementById('desk-root');
  if (!root) throw new Error('staff page: #desk-root is missing');
  const i18n = createDeskI18n();
  // <html lang> and the title follow the language (screen readers, fonts, axe).
  const applyToDocument = (lng: string): void => {
    document.documentElement.lang = isDeskLanguage(lng) ? lng : 'zh-CN';
    document.title = deskTextOf(i18n, isDeskLanguage(lng) ? lng : 'zh-CN')('app.title');
  };
  i18n.on('languageChanged', applyToDocument);
  applyToDocument(i18n.language);
  createRoot(root).render(
    <I18nextProvider i18n={i18n}>
      <DeskApp fetch={(input, init) => fetch(input, init)} />
    </I18nextProvider>,
  );
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
