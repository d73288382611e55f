import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const DEFAULT_HALL_PORT = 8790;

export type HallConfig = { host: string; port: number; dataDir: string };
export type HallConfigResult = { ok: true; config: HallConfig } | { ok: false; error: string };

/** HALL_PORT (default 8790), HALL_HOST (default 127.0.0.1), HALL_DATA_DIR (default ~/.local/share/zizhu-hall). */
export function loadHallConfig(env: NodeJS.ProcessEnv = process.env): HallConfigResult {
  const port =
    env.HALL_PORT === undefined || env.HALL_PORT === '' ? DEFAULT_HALL_PORT : Number(env.HALL_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    return { ok: false, error: `HALL_PORT must be a port number, got "${env.HALL_PORT}"` };
  }
  const base =
    env.XDG_DATA_HOME && env.XDG_DATA_HOME.length > 0
      ? env.XDG_DATA_HOME
      : join(env.HOME ?? homedir(), '.local', 'share');
  const dataDir = resolve(
    env.HALL_DATA_DIR && env.HALL_DATA_DIR.length > 0 ? env.HALL_DATA_DIR : join(base, 'zizhu-hall'),
  );
  return {
    ok: true,
    config: { host: env.HALL_HOST && env.HALL_HOST.length > 0 ? env.HALL_HOST : '127.0.0.1', port, dataDir },
  };
}
