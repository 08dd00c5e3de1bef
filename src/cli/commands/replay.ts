/**
 * `replay`: re-queue archived posts for extraction. Idempotent (see src/replay.ts): unchanged
 * records are neither rewritten nor re-announced.
 *
 *   replay --channel mod_russia --since 2026-11-01          one channel, a time window
 *   replay --channel kursk_gov --from-id 100 --to-id 200    a message-id range
 *   replay --outdated                                        records of an older extractor version
 *   replay --failed                                          the failed set
 *   replay --all --dry-run                                   count first
 *
 * With the embedded store held by a running service, the request goes to that service's
 * POST /admin/replay (src/cli/access.ts finds it; ADMIN_TOKEN authorizes it).
 */
import { SingleBar, Presets } from 'cli-progress';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { Config } from '../../config.js';
import { EXTRACTOR_VERSION } from '../../extract/index.js';
import { createQueues } from '../../queue/queues.js';
import type { ServiceInfo, Store } from '../../store/index.js';
import { CliError, commandContext, withData } from '../access.js';
import { replay, selectionProblems, type ReplayCounts, type ReplaySelection } from '../../replay.js';

/** The selection (src/replay.ts) plus how the command reports. */
interface ReplayFlags extends ReplaySelection {
  dryRun?: boolean;
  json?: boolean;
  progress?: boolean;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

const RELATIVE_RE = /^(\d+)\s*(m|h|d|w)$/;
const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** An ISO date/time, or a duration back from now: 30m, 12h, 7d, 2w. */
export function parseWhen(value: string, now: number = Date.now()): Date {
  const rel = RELATIVE_RE.exec(value.trim());
  if (rel) return new Date(now - Number(rel[1]) * (UNIT_MS[rel[2] as string] as number));
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
    const t = Date.parse(value);
    if (!Number.isNaN(t)) return new Date(t);
  }
  throw new InvalidArgumentError('expected an ISO 8601 date (2026-11-01, 2026-11-01T06:00Z) or a duration back from now (12h, 7d)');
}

export function selectionOf(flags: ReplayFlags): ReplaySelection {
  const sel: ReplaySelection = {};
  if (flags.channel) sel.channel = flags.channel.replace(/^@/, '');
  if (flags.fromId !== undefined) sel.fromId = flags.fromId;
  if (flags.toId !== undefined) sel.toId = flags.toId;
  if (flags.since) sel.since = flags.since;
  if (flags.until) sel.until = flags.until;
  if (flags.outdated) sel.outdated = true;
  if (flags.failed) sel.failed = true;
  if (flags.failedDeliveries) sel.failedDeliveries = true;
  if (flags.all) sel.all = true;
  return sel;
}

function describe(counts: ReplayCounts, dryRun: boolean): string {
  const verb = dryRun ? 'would re-queue' : 're-queued';
  const lines = [`${verb} ${counts.posts} archived post(s)`];
  if (counts.failedJobs || counts.failedRows || counts.invalidRows) {
    lines.push(`${verb} ${counts.failedJobs + counts.failedRows} failed post(s) (${counts.failedJobs} from the queue's failed set, ${counts.failedRows} from the store)`);
    if (counts.invalidRows) lines.push(`left ${counts.invalidRows} failed item(s) whose payload is not a valid post (see \`status\`)`);
  }
  if (counts.failedDeliveries) lines.push(`${dryRun ? 'would retry' : 'retried'} ${counts.failedDeliveries} failed webhook deliver${counts.failedDeliveries === 1 ? 'y' : 'ies'}`);
  return lines.join('\n');
}

function progressBar(enabled: boolean) {
  if (!enabled || !process.stderr.isTTY) return { update: (_d: number, _t: number) => undefined, stop: () => undefined };
  const bar = new SingleBar({ stream: process.stderr, format: 'replay [{bar}] {value}/{total} {percentage}% eta {eta_formatted}', hideCursor: true }, Presets.shades_classic);
  let started = false;
  return {
    update(done: number, total: number) {
      if (!started) {
        bar.start(total, done);
        started = true;
      } else bar.update(done);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

/** Wire form of a selection (dates as ISO) for POST /admin/replay. */
export function selectionToJson(sel: ReplaySelection): Record<string, unknown> {
  return { ...sel, since: sel.since?.toISOString(), until: sel.until?.toISOString() };
}

async function replayViaService(config: Config, baseUrl: string, info: ServiceInfo, sel: ReplaySelection, dryRun: boolean): Promise<ReplayCounts> {
  if (!config.ADMIN_TOKEN) {
    throw new CliError(`the embedded store is held by the running service (pid ${info.pid}); set ADMIN_TOKEN (the service's) to replay through it, or set DATABASE_URL`);
  }
  let res: Response;
  try {
    res = await fetch(`${baseUrl}/admin/replay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${config.ADMIN_TOKEN}` },
      body: JSON.stringify({ selection: selectionToJson(sel), dryRun }),
      signal: AbortSignal.timeout(10 * 60_000),
    });
  } catch (err) {
    throw new CliError(`the dronewire service (pid ${info.pid}) did not answer at ${baseUrl}: ${(err as Error).message}`);
  }
  const body = (await res.json().catch(() => ({}))) as { counts?: ReplayCounts; error?: string };
  if (!res.ok || !body.counts) throw new CliError(`the running service refused the replay: ${body.error ?? `HTTP ${res.status}`}`);
  return body.counts;
}

async function replayDirect(config: Config, store: Store, sel: ReplaySelection, flags: ReplayFlags): Promise<ReplayCounts> {
  const queues = await createQueues({ redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX });
  const bar = progressBar(flags.progress !== false && !flags.dryRun);
  try {
    return await replay(
      { db: store.db, posts: queues.posts, alerts: queues.alerts, extractorVersion: EXTRACTOR_VERSION },
      sel,
      { dryRun: flags.dryRun, onProgress: (done, total) => bar.update(done, total) },
    );
  } finally {
    bar.stop();
    await queues.close();
  }
}

export function register(cmd: Command): void {
  cmd
    .summary('re-queue archived posts for extraction')
    .description(
      're-queue archived posts for extraction. Idempotent: a record that comes out the same is not changed ' +
        'and not re-announced; a changed one is announced as incident.updated, a vanished one as incident.retracted.',
    )
    .option('--channel <name>', 'posts of one channel')
    .option('--from-id <id>', 'message ids from (inclusive; with --channel)', positiveInt)
    .option('--to-id <id>', 'message ids up to (inclusive; with --channel)', positiveInt)
    .option('--since <when>', 'posts dated from (ISO date, or 12h / 7d back from now)', (v) => parseWhen(v))
    .option('--until <when>', 'posts dated before (ISO date, or a duration back from now)', (v) => parseWhen(v))
    .option('--outdated', `posts whose records were made by another extractor version than ${EXTRACTOR_VERSION}`)
    .option('--failed', "the failed set: the posts queue's failed jobs and the store's failed posts")
    .addOption(new Option('--failed-deliveries', "retry the alerts queue's failed webhook deliveries"))
    .option('--all', 'every archived post')
    .option('--dry-run', 'count what would be re-queued, change nothing')
    .option('--json', 'print the counts as JSON')
    .option('--no-progress', 'no progress bar')
    .addHelpText(
      'after',
      '\nExamples:\n  replay --channel mod_russia --since 7d --dry-run\n  replay --outdated\n  replay --failed\n\n' +
        'The extract workers of a running service (`start`) do the work; replay only queues it.',
    )
    .action(async (flags: ReplayFlags) => {
      const sel = selectionOf(flags);
      const problems = selectionProblems(sel);
      if (problems.length) {
        process.stderr.write(`replay: ${problems.join('\nreplay: ')}\n`);
        process.exitCode = 2;
        return;
      }
      const { config } = commandContext();
      const counts = await withData(
        config,
        (store) => replayDirect(config, store, sel, flags),
        (baseUrl, info) => replayViaService(config, baseUrl, info, sel, flags.dryRun === true),
      );
      process.stdout.write(flags.json ? `${JSON.stringify({ dryRun: flags.dryRun === true, ...counts })}\n` : `${describe(counts, flags.dryRun === true)}\n`);
    });
}
