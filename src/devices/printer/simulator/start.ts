/**
 * Puts the simulated printer behind a real transport (docs/devices-printer.md, "Testing
 * without hardware"): a TCP listener on 127.0.0.1 (like a 9100 network printer) or one end of a socat
 * pseudo-terminal pair (like a serial printer; the driver opens the other end with serialport).
 */
import { openPtyPair } from '../../pty-pair.js';
import net from 'node:net';
import type { Logger } from 'pino';
import type { PaperWidth } from '../escpos/layout.js';
import type { PrinterStatus } from '../escpos/status.js';
import { SimulatorCore, type PrinterSimulator } from './core.js';

export type RunningPrinterSimulator = {
  /** The address a driver connects to: `tcp://127.0.0.1:PORT` or `serial:/dev/pts/N?baud=115200`. */
  uri: string;
  simulator: PrinterSimulator;
  stop(): Promise<void>;
};

export type StartPrinterSimulatorOptions = {
  transport: 'tcp' | 'pty';
  paperWidth?: PaperWidth;
  status?: PrinterStatus;
  logger?: Logger;
};

async function startTcp(core: SimulatorCore, logger: Logger | undefined): Promise<RunningPrinterSimulator> {
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  let port = 0;

  const listen = (wanted: number): Promise<number> =>
    new Promise((resolve, reject) => {
      const s = net.createServer((socket) => {
        sockets.add(socket);
        socket.setNoDelay(true);
        socket.on('data', (chunk: Buffer) =>
          core.receive(chunk, (bytes) => {
            if (!socket.destroyed) socket.write(bytes);
          }),
        );
        socket.on('error', () => undefined);
        socket.on('close', () => sockets.delete(socket));
      });
      s.once('error', reject);
      s.listen(wanted, '127.0.0.1', () => {
        s.off('error', reject);
        server = s;
        const a = s.address();
        resolve(typeof a === 'object' && a !== null ? a.port : wanted);
      });
    });

  const closeServer = (): Promise<void> => {
    const s = server;
    server = null;
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    return s === null ? Promise.resolve() : new Promise((resolve) => s.close(() => resolve()));
  };

  port = await listen(0);
  core.attach({
    drop: () => {
      void closeServer();
    },
    restore: async () => {
      await listen(port);
    },
  });
  logger?.info({ port }, 'printer simulator listening (tcp)');
  return { uri: `tcp://127.0.0.1:${port}`, simulator: core, stop: closeServer };
}

async function startPty(core: SimulatorCore, logger: Logger | undefined): Promise<RunningPrinterSimulator> {
  const pair = await openPtyPair();
  if (!pair.ok) throw new Error(pair.error);
  const [driverSide, printerSide] = pair.value.paths;
  const { SerialPort } = await import('serialport');
  const port = new SerialPort({ path: printerSide, baudRate: 115200, autoOpen: false });
  try {
    await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  } catch (e) {
    await pair.value.close();
    throw e;
  }
  port.on('data', (chunk: Buffer) =>
    core.receive(chunk, (bytes) => {
      if (port.isOpen) port.write(Buffer.from(bytes));
    }),
  );
  port.on('error', () => undefined);
  // On a serial cable a printer that is switched off simply stops answering; the pty stays.
  core.attach({ drop: () => undefined, restore: () => Promise.resolve() });
  logger?.info({ path: driverSide }, 'printer simulator listening (pty)');
  let stopped = false;
  return {
    uri: `serial:${driverSide}?baud=115200`,
    simulator: core,
    async stop(): Promise<void> {
      if (stopped) return;
      stopped = true;
      if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
      await pair.value.close();
    },
  };
}

/** Starts a simulated receipt printer. Rejects only if the transport cannot be set up (e.g. no socat). */
export async function startPrinterSimulator(
  options: StartPrinterSimulatorOptions,
): Promise<RunningPrinterSimulator> {
  const core = new SimulatorCore({ paperWidth: options.paperWidth ?? 80, status: options.status ?? 'ready' });
  return options.transport === 'tcp' ? startTcp(core, options.logger) : startPty(core, options.logger);
}
