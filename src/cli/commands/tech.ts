/** `tech set-pin`: the technician console PIN. */
import type { RegisterCommands } from '../context.js';

export const registerTechCommands: RegisterCommands = (program, { io, env, withDb, fail }) => {
  program
    .command('tech')
    .description('technician console access')
    .command('set-pin')
    .description('set the technician console PIN (6–12 digits), read from --pin or $KIOSK_TECH_PIN')
    .option('--pin <digits>', 'the new PIN')
    .action(async (o: { pin?: string }) => {
      const pin = o.pin ?? env.KIOSK_TECH_PIN;
      if (!pin) return fail(false, 'give the PIN with --pin or KIOSK_TECH_PIN');
      const { createTechnicianAuth } = await import('../../backend/index.js');
      await withDb((db, c) => {
        const r = createTechnicianAuth({ db, clock: () => new Date(), mode: c.mode }).setPin(pin);
        if (!r.ok) return fail(false, r.error.message);
        io.out('technician PIN set');
      });
    });
};
