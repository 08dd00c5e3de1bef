import { Option, type Command } from 'commander';
import { ROLES, startService, type Role } from '../../service.js';
import { CliError, commandContext } from '../access.js';

function parseRoles(values: string[] | undefined): Role[] {
  if (!values || values.length === 0) return [...ROLES];
  const roles = values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (unknown.length > 0) throw new CliError(`unknown role ${unknown.join(', ')}; roles: ${ROLES.join(', ')}`, 2);
  return roles as Role[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `start`: the service, all roles in one process by default. */
export function register(cmd: Command): void {
  cmd
    .addOption(new Option('--role <role...>', `run only these roles (${ROLES.join(', ')}); repeat or separate by commas`))
    .option('--once', 'with TELEGRAM_SOURCE=file: exit once the file is read and every queued post is processed')
    .addHelpText(
      'after',
      `
Settings come from the environment (see .env.example). Without DATABASE_URL the store is embedded in
DATA_DIR and only one process may use it; operator commands then ask this service over HTTP.

Examples:
  TELEGRAM_SOURCE=file npm run --silent cli -- start            # the bundled sample, all roles
  TELEGRAM_SOURCE=file npm run --silent cli -- start --once     # ingest the sample and exit
  npm run --silent cli -- start --role extract                  # one more extract worker (PostgreSQL)`,
    )
    .action(async (opts: { role?: string[]; once?: boolean }) => {
      try {
        const roles = parseRoles(opts.role);
        const { config, logger } = commandContext({ quiet: false });
        if (opts.once && config.TELEGRAM_SOURCE !== 'file') throw new CliError('--once needs TELEGRAM_SOURCE=file', 2);
        const service = await startService({ config, logger, roles });
        if (opts.once) {
          const report = await service.listenerDone;
          // Wait until nothing is waiting, delayed or running (retries with back-off included).
          while (!(await service.isIdle())) await sleep(200);
          await service.stop('--once: source read and queue drained');
          if (report) {
            process.stderr.write(`dronewire: ${report.posts} posts read (${report.queued} queued, ${report.known} known already, ${report.invalid} invalid)\n`);
          }
        }
        await service.stopped;
      } catch (err) {
        if (err instanceof CliError) process.exitCode = err.exitCode;
        throw err;
      }
    });
}
