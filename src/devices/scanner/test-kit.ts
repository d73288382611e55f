/** Helpers shared by this folder's tests: the SANE test backend and a silent logger. Not exported from index.ts. */
import { execFileSync } from 'node:child_process';
import { pino, type Logger } from 'pino';

/**
 * One page from the real SANE `test` backend (docs/devices-scanner.md, "SANE in brief"), to stdout.
 * The backend stalls mid-page about once in a few thousand pages under load (a race in its reader;
 * sane-driver.test.ts): a run that gives nothing in 10 s is stopped and tried again, three times at most.
 */
export function scanimageTest(args: readonly string[]): Buffer {
  for (let attempt = 1; ; attempt++) {
    try {
      return execFileSync('scanimage', ['-d', 'test', ...args], {
        maxBuffer: 256 * 1024 * 1024,
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 10_000,
        killSignal: 'SIGKILL',
      });
    } catch (e) {
      const stalled = (e as { signal?: string }).signal === 'SIGKILL';
      if (!stalled || attempt >= 3) throw e;
    }
  }
}

export type TestPicture = 'Solid black' | 'Solid white' | 'Color pattern' | 'Grid';

export function testPicture(
  picture: TestPicture,
  opts: {
    format?: 'png' | 'pnm' | 'tiff' | 'jpeg';
    mode?: 'Gray' | 'Color';
    resolution?: number;
    depth?: 1 | 8 | 16;
  } = {},
): Buffer {
  return scanimageTest([
    `--test-picture=${picture}`,
    `--format=${opts.format ?? 'png'}`,
    `--mode=${opts.mode ?? 'Gray'}`,
    `--resolution=${opts.resolution ?? 75}`,
    `--depth=${opts.depth ?? 8}`,
  ]);
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/** A logger whose lines are kept, to assert what is (and is not) logged. */
export function memoryLogger(): { logger: Logger; lines: () => string[] } {
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (s: string) => void lines.push(s) });
  return { logger, lines: () => lines };
}
