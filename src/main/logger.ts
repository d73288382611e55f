/**
 * The slice of a pino logger the shell's modules use. Kept narrow so tests can pass spies, while the
 * real shell passes the same pino instance it hands to the backend (one log stream per kiosk).
 */
export interface ShellLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}
