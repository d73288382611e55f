import { pino, type Logger } from 'pino';

/**
 * Structured logs. Personal data never reaches a log line: the paths below are censored wherever a
 * caller passes an identity, form or delivery object by mistake.
 */
export const REDACT_PATHS = [
  '*.idNumber',
  '*.applicantIdNumber',
  '*.name',
  '*.address',
  '*.phone',
  '*.photo',
  '*.form',
  '*.delivery',
  'identity',
  'form',
  'delivery',
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { app: 'zizhu-kiosk' } },
    destination ?? process.stdout,
  );
}

export type { Logger };
