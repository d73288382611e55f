/** `npm run hall`: starts the reference hall server until Ctrl-C. */
import { loadHallConfig, startHallServer } from '../hall/index.js';

const cfg = loadHallConfig();
if (!cfg.ok) {
  console.error(`hall: ${cfg.error}`);
  process.exit(2);
}
try {
  const hall = await startHallServer(cfg.config, { silent: true });
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
