// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

/**
 * Folder walls from shared/DESIGN.md, enforced here so an import across a wall fails CI.
 * Each entry: files in `folder` may not import from the listed folders (type-only imports of the
 * backend's router type are allowed for the renderer, as DESIGN.md's "types shared by import type").
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
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          // Only the Electron shell may import electron.
          paths:
            folder === 'src/main' ? [] : [{ name: 'electron', message: 'Only src/main imports electron.' }],
          patterns: banned.map((b) => ({
            group: [`**/${b}`, `**/${b}/**`],
            message: `${folder} may not import from src/${b} (see DESIGN.md, Layout).`,
            allowTypeImports: folder === 'src/renderer' && b === 'backend',
          })),
        },
      ],
    },
  })),
  {
    // The hall's staff page runs in the browser (built by vite.staff.config.ts). A flat folder that
    // bundles no package (zod above all) and imports at run time only the zod-free shared modules;
    // types it may take from anywhere in src/shared and from the hall modules whose answers it reads
    // (as the renderer takes the backend's router type). Later than the walls above, so this replaces
    // src/hall's rule for these files.
    files: ['src/hall/staff-web/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^[^.]',
              message: 'The staff page bundles no package (keep zod and Node out of the browser).',
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
              regex: '^\\.\\./\\.\\./shared/(?!(case-status|mask|result)\\.js$)',
              message:
                'At run time the staff page imports only zod-free shared modules (case-status, mask, result); types from any.',
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
    // Tests, their support code (src/**/testing/) and benchmarks may reach across walls.
    files: ['**/*.test.ts', '**/*.test.tsx', 'src/**/testing/**/*.ts', 'e2e/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': 'off' },
  },
);
