/**
 * Puts the simulated printer behind a real transport (reference/escpos.md, "Testing without
 * hardware"): a TCP listener on 127.0.0.1 (like a 9100 network printer) or one end of a socat
 * pseudo-terminal pair (like a serial printer; the driver opens the other end with serialport).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import type { Logger } from 'pino';
import { SerialPort } from 'serialport';
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

const SOCAT_START_TIMEOUT_MS = 5000;

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

function waitForExit(child: ChildProcess, ms: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Starts `socat -d -d pty,raw,echo=0 pty,raw,echo=0` and reads the two `/dev/pts/N` paths from its log. */
async function socatPair(): Promise<{ child: ChildProcess; paths: [string, string] }> {
  const child = spawn('socat', ['-d', '-d', 'pty,raw,echo=0', 'pty,raw,echo=0'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  try {
    const paths = await new Promise<[string, string]>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`socat did not report its ptys within ${SOCAT_START_TIMEOUT_MS} ms`)),
        SOCAT_START_TIMEOUT_MS,
      );
      child.once('error', (e) => {
        clearTimeout(timer);
        reject(new Error(`cannot run socat (${e.message}); install the socat package`));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`socat exited with ${String(code)}: ${log.slice(-300)}`));
      });
      child.stderr?.on('data', (d: Buffer) => {
        if (log.length < 10_000) log += d.toString();
        const found = [...log.matchAll(/PTY is (\S+)/g)].map((m) => m[1]!);
        if (found.length >= 2 && log.includes('starting data transfer')) {
          clearTimeout(timer);
          resolve([found[0]!, found[1]!]);
        }
      });
    });
    child.removeAllListeners('exit');
    return { child, paths };
  } catch (e) {
    child.kill('SIGTERM');
    await waitForExit(child, 1000);
    throw e;
  }
}

async function startPty(core: SimulatorCore, logger: Logger | undefined): Promise<RunningPrinterSimulator> {
  const { child, paths } = await socatPair();
  const [driverSide, printerSide] = paths;
  const port = new SerialPort({ path: printerSide, baudRate: 115200, autoOpen: false });
  try {
    await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  } catch (e) {
    child.kill('SIGTERM');
    await waitForExit(child, 1000);
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
      child.kill('SIGTERM');
      await waitForExit(child, 2000);
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
