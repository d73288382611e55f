/**
 * A pseudo-terminal pair from socat (`socat -d -d pty,raw,echo=0 pty,raw,echo=0`): two tty devices
 * wired back to back, so the simulator sits on one end and the real serial driver opens the other.
 * Each end also gets a stable symlink (`link=`), like /dev/serial/by-id, so a pair re-created after
 * a simulated unplug comes back under the same name even though the /dev/pts numbers change.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { err, ok, type Result } from './result.js';

export type PtyPair = {
  /** The /dev/pts/N devices, as socat reported them. */
  readonly paths: readonly [string, string];
  /** The stable symlinks given to socat, when asked for. */
  readonly links: readonly [string, string] | null;
  /** True once socat has exited (killed, or crashed). */
  readonly exited: () => boolean;
  close(): Promise<void>;
};

const PTY_LINE = /PTY is (\/dev\/\S+)/g;
const READY_LINE = /starting data transfer loop/;

export function openPtyPair(
  links: readonly [string, string] | null = null,
  timeoutMs = 5000,
): Promise<Result<PtyPair, string>> {
  for (const l of links ?? []) {
    // socat splits addresses on ',' and ':'; such a path would be misread, not refused.
    if (/[,:!\s]/.test(l))
      return Promise.resolve(err(`pty link path "${l}" contains a character socat cannot take`));
  }
  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      const end = (i: 0 | 1) => (links ? `pty,raw,echo=0,link=${links[i]}` : 'pty,raw,echo=0');
      child = spawn('socat', ['-d', '-d', end(0), end(1)], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (e) {
      resolve(err(`cannot start socat: ${e instanceof Error ? e.message : String(e)}`));
      return;
    }
    let stderr = '';
    let settled = false;
    let hasExited = false;
    const exitedPromise = new Promise<void>((r) => child.once('exit', () => r()));
    child.once('exit', () => {
      hasExited = true;
    });
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (!hasExited) child.kill('SIGKILL');
      resolve(err(message));
    };
    const timer = setTimeout(
      () => fail(`socat did not set up the pty pair within ${timeoutMs} ms`),
      timeoutMs,
    );
    child.once('error', (e) => fail(`cannot start socat (${e.message}); install socat to use the simulator`));
    child.once('exit', (code) =>
      fail(`socat exited with code ${String(code)}: ${stderr.trim().slice(-300)}`),
    );
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      // Bounded: only the tail is kept for an error message.
      stderr = (stderr + text).slice(-4000);
      if (settled || !READY_LINE.test(stderr)) return;
      const paths = [...stderr.matchAll(PTY_LINE)].map((m) => m[1]!);
      if (paths.length < 2) return;
      settled = true;
      clearTimeout(timer);
      resolve(
        ok({
          paths: [paths[0]!, paths[1]!],
          links,
          exited: () => hasExited,
          close: async () => {
            if (hasExited) return;
            child.kill('SIGTERM');
            const killer = setTimeout(() => child.kill('SIGKILL'), 1000);
            await exitedPromise;
            clearTimeout(killer);
          },
        }),
      );
    });
  });
}
