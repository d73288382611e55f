/** `npm run hall`: starts the reference hall server until Ctrl-C. */
import pino from 'pino';
import { loadHallConfig, startHallServer } from '../hall/index.js';

const cfg = loadHallConfig();
if (!cfg.ok) {
  console.error(`hall: ${cfg.error}`);
  process.exit(2);
}
try {
  // Request logs stay off; refused signatures, sign-ins, throttles and oversized bodies are logged as
  // JSON lines on stderr (docs/security.md, "The hall as an Internet-facing service").
  const logger = pino({ level: process.env.HALL_LOG_LEVEL || 'info' }, pino.destination(2));
  const hall = await startHallServer(cfg.config, { silent: true, logger });
  console.log(`Hall server ready: ${hall.url} (data: ${cfg.config.dataDir})`);
  console.log(
    `Staff desk: ${hall.url}staff (sign in with: npm run cli -- hall staff-token --jurisdiction CODE --name NAME)`,
  );
  const stop = () => {
    hall.close().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(`hall: error while stopping: ${(e as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (e) {
  console.error(`hall: cannot start: ${(e as Error).message}`);
  process.exit(1);
}
