/**
 * The `pouch` benchmark's replication target: express-pouchdb over pouchdb-node (LevelDB) in its own
 * process, as our hall runs in its own, listening on loopback. `node --import tsx bench/pouch-server.ts
 * DATA_DIR` prints "Pouch server ready: URL" and serves until SIGTERM.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import expressPouchDB from 'express-pouchdb';
import PouchDB from 'pouchdb-node';

const dataDir = process.argv[2];
if (!dataDir) {
  console.error('usage: pouch-server.ts DATA_DIR');
  process.exit(2);
}
// express-pouchdb keeps what it writes of its own (config, log) in the working directory.
process.chdir(dataDir);
const Local = PouchDB.defaults({ prefix: `${join(dataDir, 'db')}-` });
const app = expressPouchDB(Local, { mode: 'minimumForPouchDB', inMemoryConfig: true });
const server = createServer(app);
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(`Pouch server ready: http://127.0.0.1:${port}/`);
});
process.once('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
