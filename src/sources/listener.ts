/**
 * The listener role: one BullMQ job scheduler per followed channel (all upserted here, from one
 * place), and a poll worker that reads each channel through the configured source (pollChannel).
 * A Telegram flood wait or an HTTP 429 rate-limits the poll worker; it is not a failure. A channel
 * that errors is counted and backed off on its own; the other channels go on.
 */
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { createWorkerConnection } from '../queue/connection.js';
import { QUEUES, type PollJobData } from '../queue/names.js';
import type { Queues } from '../queue/queues.js';
import { getChannelState, recordPollError, recordPollSuccess, syncChannels } from '../store/channels.js';
import type { IncidentChange } from '../store/incidents.js';
import type { Store } from '../store/index.js';
import { createSource } from './create.js';
import { ChannelUnavailableError, SourceRateLimitedError, describeError } from './errors.js';
import type { MtprotoSource } from './mtproto.js';
import { DEFAULT_MAX_CATCH_UP, pollChannel, type PollResult } from './poll.js';
import { loadChannels, pollIntervalOf, type ChannelEntry } from './registry.js';
import type { Source } from './types.js';

export interface ListenerDeps {
  config: Config;
  logger: Logger;
  store: Store;
  queues: Pick<Queues, 'posts' | 'polls'>;
  /** A worker connection (maxRetriesPerRequest: null); shared and not closed by stop(). */
  connection?: Redis;
  /** Channels to follow; default: the CHANNELS setting (or the default registry). */
  channels?: ChannelEntry[];
  /** The reader; default: TELEGRAM_SOURCE (web or mtproto). Closed by stop(). */
  source?: Source;
  /** Retractions of deleted posts, for the alerts publisher. */
  onChanges?: (changes: IncidentChange[]) => void | Promise<void>;
  /**
   * Polls of different channels in flight at once; default 4. The web source still sends one
   * request at a time per host, but a poll spends most of its time on the store and Redis
   * (archive, cursor, jobs, deletion check): with 2, ten channels polled every second queued
   * behind each other whenever the machine was busy.
   */
  concurrency?: number;
  graceMs?: number;
}

export interface Listener {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Polls one channel now, outside the schedule (tests, live-event hints). */
  pollNow(channel: string): Promise<PollResult | PollOutcome>;
  readonly channels: ChannelEntry[];
}

export type PollOutcome = { channel: string; skipped: string } | { channel: string; error: string };

export const DEFAULT_POLL_CONCURRENCY = 4;

/** Longest back-off of a channel that keeps failing, and of one that does not exist / has no preview. */
const MAX_TRANSIENT_BACKOFF_MS = 30 * 60_000;
const MAX_UNAVAILABLE_BACKOFF_MS = 6 * 3600_000;
/** Failures in a row before a channel is backed off (one failed poll is not worth a pause). */
const TRANSIENT_FAILURES_BEFORE_BACKOFF = 3;

/**
 * Posts read after the cursor per poll. MTProto reads them with one iterMessages call of 100 (one
 * GetHistory request); the web preview pages backwards from the newest, so a larger bite saves
 * walking the same pages again on the next poll.
 */
function maxCatchUpOf(source: Source): number {
  return source.name === 'mtproto' ? 100 : DEFAULT_MAX_CATCH_UP;
}

export function schedulerId(channel: string): string {
  return `poll-${channel}`;
}

/**
 * Where in its interval a channel is polled: the channels are spread evenly over the interval, in
 * registry order (10 channels every second: one poll every 100 ms), so that their new posts reach
 * the queue in small steady steps instead of all at once (a burst of every channel's posts made
 * the last of them wait for the rest: README "Performance", latency). In (0, interval): BullMQ
 * takes an offset of 0 as "none".
 */
export function pollPhase(index: number, count: number, intervalMs: number): number {
  return Math.max(1, Math.floor(((index + 0.5) * intervalMs) / Math.max(1, count)));
}

export function backoffFor(error: unknown, failuresInRow: number, intervalMs: number): number | undefined {
  if (error instanceof ChannelUnavailableError) return Math.min(intervalMs * 2 ** Math.min(failuresInRow, 16), MAX_UNAVAILABLE_BACKOFF_MS);
  if (failuresInRow < TRANSIENT_FAILURES_BEFORE_BACKOFF) return undefined;
  return Math.min(intervalMs * 2 ** Math.min(failuresInRow - TRANSIENT_FAILURES_BEFORE_BACKOFF, 16), MAX_TRANSIENT_BACKOFF_MS);
}

const POLL_LIMITER = { max: 1_000, duration: 1_000 };

const POLL_JOB_OPTIONS = { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } };

export function createListener(deps: ListenerDeps): Listener {
  const { config, store, queues } = deps;
  const log = deps.logger.child({ role: 'listener' });
  const channels = deps.channels ?? loadChannels(config.CHANNELS);
  const byName = new Map(channels.map((c) => [c.username, c]));
  const running = new Map<string, Promise<PollResult | PollOutcome>>();
  let source: Source | undefined = deps.source;
  let worker: Worker<PollJobData> | undefined;
  let ownConnection: Redis | undefined;
  let stopping = false;

  async function pollOnce(channel: string): Promise<PollResult | PollOutcome> {
    const entry = byName.get(channel);
    if (!entry) return { channel, skipped: 'no longer followed' };
    if (!source) throw new Error('listener not started');
    const state = await getChannelState(store.db, channel);
    if (state.backoffUntil && state.backoffUntil.getTime() > Date.now()) {
      return { channel, skipped: `backing off until ${state.backoffUntil.toISOString()}` };
    }
    const intervalMs = pollIntervalOf(entry, config.POLL_INTERVAL_MS);
    try {
      const result = await pollChannel(
        { db: store.db, source, postsQueue: queues.posts, logger: log, rereadWindow: config.REREAD_WINDOW, maxCatchUp: maxCatchUpOf(source), onChanges: deps.onChanges, state },
        entry,
      );
      await recordPollSuccess(store.db, channel);
      return result;
    } catch (err) {
      if (err instanceof SourceRateLimitedError) throw err;
      const failures = state.errorCount + 1;
      const backoffMs = backoffFor(err, failures, intervalMs);
      const unavailable = err instanceof ChannelUnavailableError ? err.reason : undefined;
      await recordPollError(store.db, channel, { message: describeError(err), unavailable, backoffMs }).catch((e: unknown) =>
        log.error({ err: e, channel }, 'could not record the poll error'),
      );
      const fields = { channel, failuresInRow: failures, backoffMs, err: describeError(err) };
      if (unavailable) log.error({ ...fields, reason: unavailable }, `channel ${channel} cannot be read; the other channels go on`);
      else log.warn(fields, 'poll failed; the next scheduled poll tries again');
      return { channel, error: describeError(err) };
    }
  }

  /** One poll per channel at a time in this process (a live hint may race the schedule). */
  function pollNow(channel: string): Promise<PollResult | PollOutcome> {
    const current = running.get(channel);
    if (current) return current;
    const p = pollOnce(channel).finally(() => running.delete(channel));
    running.set(channel, p);
    return p;
  }

  async function processPoll(job: Job<PollJobData>): Promise<PollResult | PollOutcome> {
    try {
      return await pollNow(job.data.channel);
    } catch (err) {
      if (err instanceof SourceRateLimitedError) {
        log.warn({ channel: job.data.channel, retryAfterMs: err.retryAfterMs }, 'source rate limit: pausing polls (not a failure)');
        await queues.polls.rateLimit(err.retryAfterMs);
        throw Worker.RateLimitError();
      }
      // The store or Redis failed before the poll could record anything: the next scheduled poll
      // tries again from the same cursor.
      log.error({ channel: job.data.channel, err: describeError(err) }, 'poll failed before it could be recorded');
      throw err;
    }
  }

  /** The one place schedulers are upserted; schedulers of channels no longer followed are removed. */
  async function syncSchedulers(): Promise<void> {
    const wanted = new Set(channels.map((c) => schedulerId(c.username)));
    for (const s of await queues.polls.getJobSchedulers(0, -1)) {
      if (s.key.startsWith('poll-') && !wanted.has(s.key)) {
        await queues.polls.removeJobScheduler(s.key);
        log.info({ scheduler: s.key }, 'removed the scheduler of a channel no longer followed');
      }
    }
    for (const [i, c] of channels.entries()) {
      const every = pollIntervalOf(c, config.POLL_INTERVAL_MS);
      await queues.polls.upsertJobScheduler(
        schedulerId(c.username),
        { every, offset: pollPhase(i, channels.length, every) },
        { name: 'poll', data: { kind: 'poll', channel: c.username }, opts: POLL_JOB_OPTIONS },
      );
    }
  }

  /** One poll of every channel now, at start: the schedule's first turn may be an interval away. */
  async function pollAllOnce(): Promise<void> {
    const at = Date.now();
    await queues.polls.addBulk(
      channels.map((c) => ({ name: 'poll', data: { kind: 'poll' as const, channel: c.username }, opts: { ...POLL_JOB_OPTIONS, jobId: `poll-start-${c.username}-${at}` } })),
    );
  }

  function hintEarlyPoll(channel: string, kind: string): void {
    // Live updates only hint: the poll reads from the stored cursor. One hint per channel per 5 s.
    const bucket = Math.floor(Date.now() / 5_000);
    queues.polls
      .add('poll', { kind: 'poll', channel }, { ...POLL_JOB_OPTIONS, jobId: `poll-live-${channel}-${bucket}` })
      .catch((err: unknown) => log.warn({ err: describeError(err), channel, kind }, 'could not queue an early poll'));
  }

  return {
    channels,
    pollNow,
    async start() {
      source ??= await createSource(config, { db: store.db, logger: log });
      await syncChannels(store.db, channels);
      if ('onActivity' in source) (source as MtprotoSource).onActivity(hintEarlyPoll);
      const connection = deps.connection ?? (ownConnection = createWorkerConnection(config.REDIS_URL, 'dronewire-listener'));
      worker = new Worker<PollJobData>(QUEUES.polls, processPoll, {
        connection,
        prefix: config.QUEUE_PREFIX,
        concurrency: deps.concurrency ?? DEFAULT_POLL_CONCURRENCY,
        // BullMQ consults the rate limit a 429 sets (queues.polls.rateLimit) only in a worker that
        // has a limiter: without one, the other fetch slots took the next poll (of any channel, to
        // the same host) at once. The limiter's own bound is far above any schedule.
        limiter: POLL_LIMITER,
        autorun: false,
      });
      worker.on('error', (err) => log.error({ err: describeError(err) }, 'poll worker error'));
      await syncSchedulers();
      await pollAllOnce();
      worker.run().catch((err: unknown) => log.error({ err: describeError(err) }, 'poll worker stopped with an error'));
      log.info({ channels: channels.length, source: source.name, intervalMs: config.POLL_INTERVAL_MS, rereadWindow: config.REREAD_WINDOW }, 'listener started');
    },
    async stop() {
      if (stopping) return;
      stopping = true;
      const graceMs = deps.graceMs ?? config.SHUTDOWN_GRACE_MS;
      if (worker) {
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), graceMs);
        });
        const outcome = await Promise.race([worker.close().then(() => 'closed' as const), timedOut]);
        clearTimeout(timer);
        if (outcome === 'timeout') {
          log.warn({ graceMs }, 'a poll did not finish within the grace period; closing anyway (its cursor was not moved)');
          await worker.close(true).catch(() => undefined);
        }
      }
      await source?.close().catch((err: unknown) => log.warn({ err: describeError(err) }, 'closing the source failed'));
      if (ownConnection) await ownConnection.quit().catch(() => ownConnection?.disconnect());
      log.info('listener stopped');
    },
  };
}

