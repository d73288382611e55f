/**
 * Builds the staff page (vite.staff.config.ts) into a folder of the test's own, so tests that look
 * at the served page see the current source — not whatever an earlier `npm run build` left in
 * dist/staff — and never touch dist/.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const config = fileURLToPath(new URL('../../../vite.staff.config.ts', import.meta.url));

export async function buildStaffPage(outDir: string): Promise<void> {
  await build({ configFile: config, logLevel: 'silent', build: { outDir, emptyOutDir: true } });
}
