/**
 * A loopback port nobody is listening on right now (the OS picks it). Another process may take it
 * before the caller binds it; callers that start a server on it retry a bounded number of times.
 */
import { createServer } from 'node:net';

export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a !== null ? a.port : 0;
      s.close(() => (port > 0 ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}
