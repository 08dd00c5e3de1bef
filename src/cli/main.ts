#!/usr/bin/env node
/** dronewire command line: `npm run --silent cli -- <command> --help`. */
import { Command } from 'commander';

const program = new Command()
  .name('dronewire')
  .description('Official Telegram channels in, normalized drone-incident records out.')
  .showHelpAfterError()
  .enablePositionalOptions();

// Each command lives in its own module and registers itself; loaded lazily so that `extract`
// does not pay for Redis, PostgreSQL or gramjs.
const commands: Array<[string, string, () => Promise<{ register(cmd: Command): void }>]> = [
  ['extract', 'read posts (JSON Lines) and print incident records, one line per post', () => import('./commands/extract.js')],
  ['start', 'run the service: listener, workers and HTTP endpoint', () => import('./commands/start.js')],
  ['incidents', 'list stored incident records', () => import('./commands/incidents.js')],
  ['status', 'queue counts, channel cursors and health, failed jobs', () => import('./commands/status.js')],
  ['replay', 're-queue archived posts for extraction', () => import('./commands/replay.js')],
  ['backfill', "read a channel's older posts", () => import('./commands/backfill.js')],
  ['login', 'create a gramjs user session interactively', () => import('./commands/login.js')],
  ['places', 'what the gazetteer makes of a name or form', () => import('./commands/places.js')],
];

const name = process.argv[2];
const entry = commands.find(([n]) => n === name);
if (entry) {
  const mod = await entry[2]();
  const cmd = program.command(entry[0]).description(entry[1]);
  mod.register(cmd);
} else {
  for (const [n, description] of commands) program.command(n).description(description);
}

try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.stderr.write(`dronewire: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = process.exitCode || 1;
}
