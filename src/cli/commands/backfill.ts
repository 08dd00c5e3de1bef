/**
 * `backfill`: read a channel's older posts into the archive and queue them for extraction.
 *
 *   backfill --channel vvgladkov --since 2026-01-01
 *   backfill --channel kpszsu --from-id 5000
 *
 * Resumable: progress is saved with every page; run the same command again after an interruption.
 * Reads through TELEGRAM_SOURCE (web or mtproto). Writes to the store directly: with the embedded
 * store, stop the service first (or use DATABASE_URL).
 */
import { Presets, SingleBar } from 'cli-progress';
import { InvalidArgumentError, type Command } from 'commander';
import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import { createQueues } from '../../queue/queues.js';
import { runBackfill } from '../../sources/backfill.js';
import { createSource } from '../../sources/create.js';
import { ChannelUnavailableError } from '../../sources/errors.js';
import { DEFAULT_REGISTRY_PATH, USERNAME_RE, loadChannels, readRegistryFile, type ChannelEntry } from '../../sources/registry.js';
import type { BackfillProgress } from '../../store/channels.js';
import type { Store } from '../../store/index.js';
import { CliError, commandContext, withData } from '../access.js';

interface BackfillFlags {
  channel: string;
  since?: Date;
  fromId?: number;
  restart?: boolean;
  progress?: boolean;
  batch?: number;
}

function parseDate(value: string): Date {
  const t = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(t)) throw new InvalidArgumentError('expected an ISO 8601 date such as 2026-01-01');
  return new Date(t);
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

/** The registry entry of the channel (for its home region), or a bare one. */
function entryFor(config: Config, channel: string): ChannelEntry {
  const lists: Array<() => ChannelEntry[]> = [() => loadChannels(config.CHANNELS), () => readRegistryFile(DEFAULT_REGISTRY_PATH)];
  for (const list of lists) {
    try {
      const found = list().find((e) => e.username.toLowerCase() === channel.toLowerCase());
      if (found) return found;
    } catch {
      // A registry that does not load only means no metadata for this channel.
    }
  }
  return { username: channel };
}

/** Progress on stderr: a bar over ids (--from-id) or over days (--since) when stderr is a terminal. */
function progressReporter(flags: BackfillFlags, enabled: boolean) {
  const tty = enabled && process.stderr.isTTY;
  const bar = tty ? new SingleBar({ stream: process.stderr, format: `backfill ${flags.channel} [{bar}] {percentage}% | {posts} posts, {pages} pages | back to {oldest}`, hideCursor: true }, Presets.shades_classic) : undefined;
  let start: number | undefined;
  let started = false;
  return {
    page(p: BackfillProgress, oldestDate?: string) {
      const target = flags.since ? flags.since.getTime() : flags.fromId;
      const current = flags.since ? (oldestDate ? Date.parse(oldestDate) : undefined) : p.nextBefore;
      if (current === undefined || target === undefined) return;
      start ??= current;
      const span = Math.max(1, start - target);
      const done = p.done ? span : Math.min(span, Math.max(0, start - current));
      const payload = { posts: p.posts, pages: p.pages, oldest: oldestDate?.slice(0, 10) ?? '?' };
      if (bar) {
        if (!started) {
          bar.start(span, done, payload);
          started = true;
        } else bar.update(done, payload);
      } else if (enabled) {
        process.stderr.write(`backfill ${flags.channel}: ${p.posts} posts, ${p.pages} pages, back to ${payload.oldest}\n`);
      }
    },
    stop() {
      if (started) bar?.stop();
    },
  };
}

async function backfillDirect(config: Config, logger: Logger, store: Store, flags: BackfillFlags): Promise<BackfillProgress> {
  const queues = await createQueues({ redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX, readyTimeoutMs: 5_000 }).catch((err: unknown) => {
    throw new CliError(`Redis at ${new URL(config.REDIS_URL).host} not reachable (backfilled posts are queued for extraction): ${(err as Error).message}`);
  });
  const source = await createSource(config, { db: store.db, logger });
  const abort = new AbortController();
  const onSignal = () => {
    process.stderr.write('\nstopping after this page; run the same command again to resume\n');
    abort.abort();
  };
  process.once('SIGINT', onSignal);
  const reporter = progressReporter(flags, flags.progress !== false);
  try {
    const opts: Parameters<typeof runBackfill>[1] = {
      channel: entryFor(config, flags.channel),
      signal: abort.signal,
      onPage: (p, page) => reporter.page(p, page.oldestDate),
    };
    if (flags.since) opts.since = flags.since;
    if (flags.fromId !== undefined) opts.fromId = flags.fromId;
    if (flags.restart) opts.restart = true;
    if (flags.batch) opts.batch = flags.batch;
    return await runBackfill({ db: store.db, source, postsQueue: queues.posts, logger }, opts);
  } catch (err) {
    if (err instanceof ChannelUnavailableError) throw new CliError(err.message);
    throw new CliError(`backfill of ${flags.channel} interrupted: ${(err as Error).message}\nprogress is saved; run the same command again to resume`);
  } finally {
    reporter.stop();
    process.off('SIGINT', onSignal);
    await source.close().catch(() => undefined);
    await queues.close();
  }
}

export function register(cmd: Command): void {
  cmd
    .requiredOption('--channel <username>', 'the channel to read (Telegram username, no @)')
    .option('--since <date>', 'read back to this post date (ISO 8601, e.g. 2026-01-01)', parseDate)
    .option('--from-id <id>', 'read back to this message id', positiveInt)
    .option('--restart', 'forget saved progress and start again from the oldest archived post')
    .option('--batch <n>', 'posts per read (default 100)', positiveInt)
    .option('--no-progress', 'no progress output on stderr')
    .addHelpText(
      'after',
      `
Reads through TELEGRAM_SOURCE (web: public t.me/s pages; mtproto: the session from \`login\`), from
the oldest archived post of the channel backwards. Every page is archived, queued for extraction
(Redis) and recorded as progress in one transaction: after an interruption (Ctrl-C, a network
failure) run the same command again and it resumes. A rate limit (HTTP 429, Telegram flood wait)
is waited out. With the embedded store (no DATABASE_URL) stop the service first.

Examples:
  npm run --silent cli -- backfill --channel vvgladkov --since 2026-01-01
  npm run --silent cli -- backfill --channel kpszsu --from-id 5000`,
    )
    .action(async (flags: BackfillFlags) => {
      try {
        const channel = flags.channel.replace(/^@/, '');
        if (!USERNAME_RE.test(channel)) throw new CliError(`--channel: "${flags.channel}" is not a Telegram username`, 2);
        if (!flags.since && flags.fromId === undefined) throw new CliError('give --since <date> or --from-id <id>', 2);
        if (flags.since && flags.fromId !== undefined) throw new CliError('give --since or --from-id, not both', 2);
        const { config, logger } = commandContext();
        if (config.TELEGRAM_SOURCE === 'file') throw new CliError('backfill reads Telegram: set TELEGRAM_SOURCE=web or mtproto', 2);
        const result = await withData(
          config,
          (store) => backfillDirect(config, logger, store, { ...flags, channel }),
          (_url, info) => {
            throw new CliError(`the embedded store in ${config.DATA_DIR} is held by the running service (pid ${info.pid}); stop it for the backfill, or use DATABASE_URL`);
          },
        );
        const state = result.done ? 'complete' : 'stopped (run again to resume)';
        process.stderr.write(`backfill ${channel}: ${state}; ${result.posts} posts archived and queued over ${result.pages} pages${result.oldestId ? `, back to message ${result.oldestId}` : ''}\n`);
      } catch (err) {
        if (err instanceof CliError) process.exitCode = err.exitCode;
        throw err;
      }
    });
}
