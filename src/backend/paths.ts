import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The application root (where package.json, resources/ and dist/renderer live). Found by walking
 * up from this module, so it is the same whether the code runs from src/ (tsx, tests), from
 * dist/node/ (npm start) or from inside the packaged app.
 */
export function appRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      const name: unknown = (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name;
      if (name === 'zizhu-kiosk') return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the zizhu-kiosk package root above ${from}`);
    dir = parent;
  }
}

export const resourcesDir = (): string => join(appRoot(), 'resources');
export const rendererDir = (): string => join(appRoot(), 'dist', 'renderer');
