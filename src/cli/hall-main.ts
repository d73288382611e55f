/** `npm run hall`: starts the reference hall server until Ctrl-C. */
import pino from 'pino';
import { createPgNotifier, loadHallConfig, startHallServer, type PgNotifier } from '../hall/index.js';

const cfg = loadHallConfig();
if (!cfg.ok) {
  console.error(`hall: ${cfg.error}`);
  process.exit(2);
}
try {
  // Request logs stay off; refused signatures, sign-ins, throttles and oversized bodies are logged as
  // JSON lines on stderr (docs/security.md, "The hall as an Internet-facing service").
  const logger = pino({ level: process.env.HALL_LOG_LEVEL || 'info' }, pino.destination(2));
  // Several nodes: wake-ups, desk events and help calls cross them over PostgreSQL LISTEN/NOTIFY.
  // A database not reachable yet is no reason to refuse kiosks: the notifier keeps reconnecting
  // (with backoff) and says so in the log; this node works alone meanwhile.
  let notifier: PgNotifier | null = null;
  if (cfg.config.notifyUrl) {
    notifier = createPgNotifier({
      connectionString: cfg.config.notifyUrl,
      clock: () => new Date(),
      report: (r) => {
        if (r.kind === 'publish-failed') logger.warn({ channel: r.channel, error: r.error }, 'notify failed');
        else if (r.state.state === 'disconnected')
          logger.warn({ notifier: r.state }, 'notifier not connected');
        else logger.info({ notifier: r.state }, `notifier ${r.state.state}`);
      },
    });
    if (!(await notifier.whenConnected(5000)))
      logger.warn('notifier: PostgreSQL not reachable yet; this node works alone until it is');
  }
  const hall = await startHallServer(cfg.config, { silent: true, logger, ...(notifier ? { notifier } : {}) });
  console.log(`Hall server ready: ${hall.url} (data: ${cfg.config.dataDir})`);
  console.log(
    `Staff desk: ${hall.url}staff (accounts: npm run cli -- hall staff add LOGIN --name NAME --role clerk --jurisdiction CODE --password-stdin)`,
  );
  const stop = () => {
    hall
      .close()
      .then(() => notifier?.close())
      .then(
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
