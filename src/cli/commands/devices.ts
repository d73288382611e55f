/** `devices list`: serial ports and the configured devices with their state. */
import { table, type RegisterCommands } from '../context.js';

export const registerDevicesCommands: RegisterCommands = (program, { io, quiet, withDb }) => {
  const devices = program.command('devices').description('devices of this kiosk');
  devices
    .command('list')
    .description('serial ports and configured devices with their status')
    .option('--json', 'print JSON')
    .option('--wait <ms>', 'how long to let the devices open before reporting', '3000')
    .action(async (o: { json?: boolean; wait: string }) => {
      const { deviceUris, listSerialPorts } = await import('../../backend/index.js');
      const { createDeviceManager } = await import('../../devices/index.js');
      const { uris, mode } = await withDb((db, c) => ({ uris: deviceUris(db, c), mode: c.mode }));
      const manager = createDeviceManager({ uris, mode, logger: await quiet(), printerPollMs: null });
      try {
        await Promise.race([manager.start(), new Promise((r) => setTimeout(r, Number(o.wait) || 3000))]);
        const result = { serialPorts: await listSerialPorts(), devices: manager.statuses() };
        if (o.json) return io.out(JSON.stringify(result, null, 2));
        io.out(
          table([
            ['device', 'address', 'state'],
            ...result.devices.map((d) => [
              d.kind,
              d.uri,
              'detail' in d ? `${d.state}: ${d.detail}` : d.state,
            ]),
          ]),
        );
        io.out('');
        io.out(
          result.serialPorts.length === 0
            ? 'no serial ports found'
            : table(
                result.serialPorts.map((p) => [
                  p.path,
                  p.manufacturer ?? '',
                  `${p.vendorId ?? ''}:${p.productId ?? ''}`,
                ]),
              ),
        );
      } finally {
        await manager.close();
      }
    });
};
