// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

/**
 * Folder walls (docs/architecture.md, "Folder walls"), enforced here so an import across a wall fails CI.
 * Each entry: files in `folder` may not import from the listed folders (type-only imports of the
 * backend's router type are allowed for the renderer, as that section allows).
 */
const walls = [
  {
    folder: 'src/shared',
    banned: ['backend', 'devices', 'sync', 'hall', 'main', 'renderer', 'cli', 'sqlite'],
  },
  // The SQLite kit (open, pragmas, migrations) that the kiosk's and the hall's stores share.
  { folder: 'src/sqlite', banned: ['backend', 'devices', 'sync', 'hall', 'main', 'renderer', 'cli'] },
  { folder: 'src/backend', banned: ['main', 'renderer', 'hall', 'cli'] },
  { folder: 'src/devices', banned: ['backend', 'sync', 'hall', 'main', 'renderer', 'cli', 'sqlite'] },
  { folder: 'src/sync', banned: ['backend', 'hall', 'main', 'renderer', 'cli', 'devices', 'sqlite'] },
  { folder: 'src/hall', banned: ['backend', 'devices', 'sync', 'main', 'renderer', 'cli'] },
  { folder: 'src/renderer', banned: ['backend', 'devices', 'sync', 'hall', 'main', 'cli', 'sqlite'] },
  { folder: 'src/main', banned: ['renderer', 'hall', 'devices', 'sync', 'sqlite'] },
  { folder: 'src/cli', banned: ['main', 'renderer'] },
];

/**
 * The renderer's bundle carries no zod: it imports src/shared through the zod-free browser.ts (and
 * evaluation.ts), never the Node barrel index.ts, a *-schemas module or the wire schemas.
 */
const rendererZodFree = {
  paths: [{ name: 'zod', message: 'The renderer bundle carries no zod (validation is the backend’s).' }],
  patterns: [
    {
      group: ['**/shared/index.js', '**/shared/*-schemas.js', '**/shared/wire', '**/shared/wire/**'],
      message: 'The renderer imports src/shared through shared/browser.js (zod-free), never the schemas.',
    },
  ],
};

/**
 * Screens reach the backend only through src/renderer/api (its index: hooks and calls that answer
 * values); the tRPC client and its libraries stay inside that folder.
 */
const rendererThroughApi = {
  paths: [
    { name: '@trpc/client', message: 'Call the backend through src/renderer/api (api/index.js).' },
    {
      name: '@trpc/tanstack-react-query',
      message: 'Call the backend through src/renderer/api (api/index.js).',
    },
  ],
  patterns: [
    {
      group: ['**/api/client.js', '**/api/call.js', '**/api/errors.js'],
      message: 'Screens import src/renderer/api through its index (api/index.js).',
    },
  ],
};

/**
 * The import rule of one folder's wall (plus the renderer's own limits, outside api/ or inside).
 * @param {string} folder
 * @param {string[]} banned
 * @param {boolean} [inRendererApi]
 */
function wallRule(folder, banned, inRendererApi = false) {
  const renderer = folder === 'src/renderer';
  const extra = renderer ? (inRendererApi ? [rendererZodFree] : [rendererZodFree, rendererThroughApi]) : [];
  return [
    'error',
    {
      paths: [
        // Only the Electron shell may import electron.
        ...(folder === 'src/main' ? [] : [{ name: 'electron', message: 'Only src/main imports electron.' }]),
        ...extra.flatMap((e) => e.paths),
      ],
      patterns: [
        ...banned.map((b) => ({
          group: [`**/${b}`, `**/${b}/**`],
          message: `${folder} may not import from src/${b} (see docs/architecture.md, "Folder walls").`,
          allowTypeImports: renderer && b === 'backend',
        })),
        ...extra.flatMap((e) => e.patterns),
      ],
    },
  ];
}

export default tseslint.config(
  {
    ignores: ['dist/**', 'release/**', 'node_modules/**', 'e2e/artifacts/**', '.tmp/**', 'coverage/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', '.ci/*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  ...walls.map(({ folder, banned }) => ({
    files: [`${folder}/**/*.{ts,tsx}`],
    rules: { '@typescript-eslint/no-restricted-imports': wallRule(folder, banned) },
  })),
  {
    // The hall's staff page runs in the browser (built by vite.staff.config.ts). A flat folder, a
    // React app that bundles no other package (zod above all: React, react-dom, i18next and
    // react-i18next only, as the kiosk screen) and imports at run time only the zod-free shared modules;
    // types it may take from anywhere in src/shared and from the hall modules whose answers it reads
    // (as the renderer takes the backend's router type). Later than the walls above, so this replaces
    // src/hall's rule for these files.
    files: ['src/hall/staff-web/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!(react|react-dom|react-dom/client|react/jsx-runtime|i18next|react-i18next)$)[^.]',
              message:
                'The staff page bundles no package but React and i18next (keep zod and Node out of the browser).',
            },
            {
              regex: '^\\./.*/',
              message: 'src/hall/staff-web is one flat folder (its imports of ../ rely on it).',
            },
            {
              regex: '^\\.\\./[^./]',
              message: 'The staff page may import only types from the hall.',
              allowTypeImports: true,
            },
            {
              regex:
                '^\\.\\./\\.\\./shared/(?!(case-status|mask|result|staff-roles|storage-space|wall-clock)\\.js$)',
              message:
                'At run time the staff page imports only zod-free shared modules (case-status, mask, result, staff-roles, storage-space, wall-clock); types from any.',
              allowTypeImports: true,
            },
            {
              regex: '^\\.\\./\\.\\./(?!shared/)',
              message: 'The staff page may import only from src/shared (and types from src/hall).',
            },
            {
              regex: '^(\\.\\./){3}',
              message: 'The staff page may import only from src/shared (and types from src/hall).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/renderer/api/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': wallRule(
        'src/renderer',
        walls.find((w) => w.folder === 'src/renderer')?.banned ?? [],
        true,
      ),
    },
  },
  {
    // Tests, their support code (src/**/testing/) and benchmarks may reach across walls.
    files: ['**/*.test.ts', '**/*.test.tsx', 'src/**/testing/**/*.ts', 'e2e/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': 'off' },
  },
  {
    // Kiosk inputs are typed on the kiosk's own on-screen keys (e2e/kiosk-typist.ts), as a resident
    // does: filling skips the keyboard and so cannot notice a missing key (issue 12). The hall's
    // staff desk has a real keyboard; its pages are typed into through e2e/staff-desk.ts alone.
    files: ['e2e/**/*.ts'],
    ignores: ['e2e/staff-desk.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...['fill', 'pressSequentially', 'type', 'insertText'].map((name) => ({
          selector: `CallExpression[callee.property.name='${name}']${name === 'fill' || name === 'pressSequentially' ? '' : "[callee.object.property.name='keyboard']"}`,
          message: `No ${name === 'fill' || name === 'pressSequentially' ? `.${name}(` : `keyboard.${name}(`} in e2e: type kiosk inputs with kiosk-typist.ts (the on-screen keys); staff pages with staff-desk.ts.`,
        })),
      ],
    },
  },
);
