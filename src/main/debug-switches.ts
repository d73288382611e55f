/**
 * Debugging ways into a kiosk in production mode (issue 13, part 7; docs/security.md, "Production
 * mode"): Chromium's remote debugging, Node's inspector in the main process, a renderer's developer
 * tools opened at start, and the environment that turns Electron into plain Node or preloads code
 * into it. Any of them lets whoever reaches the machine (or its network, for a debugging port) read
 * and drive the resident's screen; a production kiosk refuses to start with one (shell.ts, exit 78).
 */

/** Command-line switches (without the leading dashes), as Electron's `app.commandLine` sees them. */
export const DEBUG_SWITCHES = [
  'remote-debugging-port',
  'remote-debugging-pipe',
  'remote-allow-origins',
  'remote-debugging-address',
  'inspect',
  'inspect-brk',
  'inspect-port',
  'inspect-publish-uid',
  'auto-open-devtools-for-tabs',
  'js-flags',
] as const;

/** Environment variables that must be unset (or empty). */
export const DEBUG_ENV = ['ELECTRON_RUN_AS_NODE', 'ELECTRON_ENABLE_LOGGING'] as const;

/** NODE_OPTIONS that open the inspector or load other code (heap limits and the like stay allowed). */
const RISKY_NODE_OPTIONS =
  /(^|\s)(--inspect\S*|--debug\S*|--require\S*|-r|--import\S*|--loader\S*|--experimental-loader\S*|--cpu-prof\S*|--heap-prof\S*|--prof\S*)(\s|=|$)/;

export type DebugSwitchInput = {
  hasSwitch: (name: string) => boolean;
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
};

/** The first debugging switch or variable found (as the message names it), or null. */
export function findDebugSwitch(input: DebugSwitchInput): string | null {
  for (const name of DEBUG_SWITCHES) if (input.hasSwitch(name)) return `--${name}`;
  // Node's own inspector flags can reach the main process without being Chromium switches.
  for (const arg of input.argv) {
    const m = /^--([a-z-]+)(=|$)/.exec(arg);
    const name = m?.[1];
    if (name !== undefined && (DEBUG_SWITCHES as readonly string[]).includes(name)) return `--${name}`;
  }
  for (const name of DEBUG_ENV) {
    const v = input.env[name];
    if (v !== undefined && v !== '') return name;
  }
  const nodeOptions = input.env.NODE_OPTIONS ?? '';
  if (RISKY_NODE_OPTIONS.test(nodeOptions)) return 'NODE_OPTIONS';
  return null;
}

/** The line shown in the dialog and the log when a production kiosk refuses to start. */
export const debugSwitchRefusal = (found: string): string =>
  `Refusing to start: ${found} opens the kiosk to a debugger and is not allowed in production mode ` +
  `(remove it, or set mode "development" on a development machine). / 生产模式下不允许调试开关 ${found}，终端拒绝启动。`;
