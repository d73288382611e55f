/** `audit`: the audit log (电子监察; personal data is masked in it), newest first. */
import { table, type RegisterCommands } from '../context.js';

export const registerAuditCommand: RegisterCommands = (program, { io, withDb, fail }) => {
  program
    .command('audit')
    .description('the audit log (personal data is masked in it): newest first')
    .option('--since <iso>', 'only entries at or after this time (ISO 8601)')
    .option('--action <name>', 'only this action, e.g. submit, identify, session-end, receipt-print-failed')
    .option('--subject <id>', 'only entries about this subject (receipt number, session id, device)')
    .option('--limit <n>', 'at most n entries', '50')
    .option('--json', 'print JSON lines')
    .action(
      async (o: { since?: string; action?: string; subject?: string; limit: string; json?: boolean }) => {
        const limit = Number(o.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 100_000)
          return fail(o.json, '--limit must be a whole number from 1 to 100000');
        if (o.since !== undefined && Number.isNaN(Date.parse(o.since)))
          return fail(o.json, `--since is not a date: ${o.since}`);
        const { createAuditStore } = await import('../../backend/index.js');
        await withDb((db) => {
          const rows = createAuditStore(db).query({
            since: o.since ? new Date(o.since).toISOString() : null,
            action: o.action ?? null,
            subject: o.subject ?? null,
            limit,
          });
          if (o.json) {
            for (const r of rows)
              io.out(
                JSON.stringify({
                  ...r,
                  detail: r.detail === null ? null : (JSON.parse(r.detail) as unknown),
                }),
              );
            return;
          }
          io.out(
            table([
              ['at', 'actor', 'action', 'subject', 'detail'],
              ...rows.map((r) => [r.at, r.actor, r.action, r.subject ?? '', r.detail ?? '']),
            ]),
          );
        });
      },
    );
};
