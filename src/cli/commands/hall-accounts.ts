/**
 * `hall staff add|reset|disable|accounts`: the staff desk's accounts (docs/security.md, "The staff
 * desk"), run on the hall machine against HALL_DATA_DIR. Passwords come on standard input only
 * (`--password-stdin`): never on the command line, where `ps` and the shell history would keep them.
 */
import type { Command } from 'commander';
import { CliExit, table, type CliContext } from '../context.js';
import type { Accounts } from '../../hall/index.js';

async function withAccounts(
  ctx: CliContext,
  json: boolean | undefined,
  fn: (accounts: Accounts) => Promise<void> | void,
): Promise<void> {
  const hall = await import('../../hall/index.js');
  const hc = hall.loadHallConfig(ctx.env);
  if (!hc.ok) {
    ctx.io.err(`hall configuration error: ${hc.error}`);
    throw new CliExit(2);
  }
  const opened = await hall.openHallStore(hc.config);
  if (!opened.ok) return ctx.fail(json, opened.message);
  try {
    await fn(hall.createAccounts({ db: opened.store.sql, clock: () => new Date() }));
  } finally {
    await opened.store.close();
  }
}

/** The first line of standard input (the password), without its line end. */
async function passwordFromStdin(ctx: CliContext, json: boolean | undefined, given: boolean | undefined) {
  if (!given || !ctx.io.stdin)
    return ctx.fail(
      json,
      '请用 --password-stdin 从标准输入提供密码 (give the password on standard input with --password-stdin)',
    );
  const text = await ctx.io.stdin();
  return text.split(/\r?\n/)[0] ?? '';
}

const list = (s: string): string[] =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x.length > 0);

export function registerStaffAccountCommands(staffCmd: Command, ctx: CliContext): void {
  const { io, fail } = ctx;
  staffCmd
    .command('add <login>')
    .description('add a staff account for the desk (password on standard input)')
    .requiredOption('--name <name>', 'display name shown at the desk, e.g. 王科员')
    .requiredOption(
      '--role <roles>',
      'comma-separated: clerk (受理员), approver (审批员), supervisor (督查), admin (管理员)',
    )
    .requiredOption('--jurisdiction <codes>', 'comma-separated 属地 codes whose cases the account handles')
    .option('--password-stdin', 'read the password from standard input (first line)')
    .option('--json', 'print JSON')
    .action(
      async (
        login: string,
        o: { name: string; role: string; jurisdiction: string; passwordStdin?: boolean; json?: boolean },
      ) => {
        const password = await passwordFromStdin(ctx, o.json, o.passwordStdin);
        await withAccounts(ctx, o.json, async (accounts) => {
          const r = await accounts.add({
            login,
            displayName: o.name,
            roles: list(o.role),
            jurisdictions: list(o.jurisdiction),
            password,
          });
          if (!r.ok) return fail(o.json, r.error);
          if (o.json) io.out(JSON.stringify({ ok: true, account: r.value }));
          else
            io.out(
              `account ${r.value.login} added: ${r.value.displayName}, roles ${r.value.roles.join(',')}, jurisdictions ${r.value.jurisdictions.join(',')}`,
            );
        });
      },
    );
  staffCmd
    .command('reset <login>')
    .description("set a staff account's password (standard input); its open sessions end")
    .option('--password-stdin', 'read the new password from standard input (first line)')
    .option('--json', 'print JSON')
    .action(async (login: string, o: { passwordStdin?: boolean; json?: boolean }) => {
      const password = await passwordFromStdin(ctx, o.json, o.passwordStdin);
      await withAccounts(ctx, o.json, async (accounts) => {
        const r = await accounts.reset(login, password);
        if (!r.ok) return fail(o.json, r.error);
        if (o.json) io.out(JSON.stringify({ ok: true, login, sessionsEnded: r.value.revoked }));
        else io.out(`password of ${login} reset; ${r.value.revoked} open session(s) ended`);
      });
    });
  staffCmd
    .command('disable <login>')
    .description('disable a staff account: it can no longer sign in and its open sessions end now')
    .option('--json', 'print JSON')
    .action(async (login: string, o: { json?: boolean }) => {
      await withAccounts(ctx, o.json, async (accounts) => {
        const r = await accounts.disable(login);
        if (!r.ok) return fail(o.json, r.error);
        if (o.json) io.out(JSON.stringify({ ok: true, login, sessionsEnded: r.value.revoked }));
        else io.out(`account ${login} disabled; ${r.value.revoked} open session(s) ended`);
      });
    });
  staffCmd
    .command('accounts')
    .description('list staff accounts: login, name, roles, jurisdictions, state (never a password)')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      await withAccounts(ctx, o.json, async (accounts) => {
        const all = await accounts.list();
        if (o.json) io.out(JSON.stringify({ accounts: all }));
        else if (all.length === 0) io.out('no staff accounts (add one: hall staff add <login> …)');
        else
          io.out(
            table([
              ['LOGIN', 'NAME', 'ROLES', 'JURISDICTIONS', 'STATE', 'UPDATED'],
              ...all.map((a) => [
                a.login,
                a.displayName,
                a.roles.join(','),
                a.jurisdictions.join(','),
                a.disabled ? 'disabled' : 'active',
                a.updatedAt,
              ]),
            ]),
          );
      });
    });
}
