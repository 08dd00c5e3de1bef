/**
 * Backfill: read a channel's older posts, page by page back from the oldest archived one, down to a
 * date (`since`) or a message id (`fromId`). Each page is archived, queued for extraction and
 * recorded as progress in one transaction, so an interrupted backfill resumes where it stopped.
 */
import type { Queue } from 'bullmq';
import type { Logger } from '../logger.js';
import type { PostJobData } from '../queue/names.js';
import { enqueuePosts } from '../queue/queues.js';
import { getBackfillProgress, saveBackfillProgress, type BackfillProgress } from '../store/channels.js';
import type { Db } from '../store/db.js';
import { archivePosts } from '../store/posts.js';
import { SourceRateLimitedError } from './errors.js';
import { decoratePost } from './poll.js';
import type { ChannelEntry } from './registry.js';
import type { Source } from './types.js';

export interface BackfillContext {
  db: Db;
  source: Source;
  postsQueue: Queue<PostJobData>;
  logger: Logger;
  sleep?: (ms: number) => Promise<void>;
}

export interface BackfillOptions {
  channel: ChannelEntry;
  /** Stop at posts older than this. */
  since?: Date;
  /** Stop at posts with a lower id. */
  fromId?: number;
  /** Posts per read (web: about 20 per page, several pages per read). */
  batch?: number;
  /** Forget saved progress and start again from the oldest archived post. */
  restart?: boolean;
  /** Stops between pages (Ctrl-C); progress so far is kept. */
  signal?: AbortSignal;
  onPage?: (progress: BackfillProgress, page: { oldestDate?: string; archived: number }) => void;
  /** Longest single wait for a rate limit before giving up (the run resumes later). */
  maxRateLimitWaitMs?: number;
}

export class BackfillError extends Error {
  readonly code = 'BACKFILL';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BackfillError';
  }
}

const sameTarget = (p: BackfillProgress, o: BackfillOptions) => (p.since?.getTime() ?? null) === (o.since?.getTime() ?? null) && (p.fromId ?? null) === (o.fromId ?? null);

async function oldestArchivedId(db: Db, channel: string): Promise<number | undefined> {
  const [row] = await db.query<{ id: string | null }>('select min(message_id) as id from posts where channel = $1', [channel]);
  return row?.id === null || row?.id === undefined ? undefined : Number(row.id);
}

/** The progress to continue from: saved progress for the same target, or a fresh start. */
async function startingPoint(db: Db, opts: BackfillOptions): Promise<BackfillProgress> {
  const channel = opts.channel.username;
  const saved = await getBackfillProgress(db, channel);
  if (saved && !opts.restart && sameTarget(saved, opts)) return saved;
  const fresh: BackfillProgress = { channel, posts: 0, pages: 0, done: false };
  if (opts.since) fresh.since = opts.since;
  if (opts.fromId !== undefined) fresh.fromId = opts.fromId;
  // Posts above the oldest archived one were read already (by the listener or an earlier run).
  const oldest = await oldestArchivedId(db, channel);
  if (oldest !== undefined) {
    fresh.nextBefore = oldest;
    fresh.oldestId = oldest;
  }
  return fresh;
}

/** Runs (or resumes) a backfill; resolves with the final progress (done, or stopped by the signal). */
export async function runBackfill(ctx: BackfillContext, opts: BackfillOptions): Promise<BackfillProgress> {
  if (!opts.since && opts.fromId === undefined) throw new BackfillError('a backfill needs --since or --from-id');
  const channel = opts.channel.username;
  const log = ctx.logger.child({ channel, backfill: true });
  const sleep = ctx.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const batch = opts.batch ?? 100;
  const sinceMs = opts.since?.getTime();
  const progress = await startingPoint(ctx.db, opts);
  if (progress.done) return progress;
  if (opts.fromId !== undefined && progress.nextBefore !== undefined && progress.nextBefore <= opts.fromId) {
    progress.done = true;
    await saveBackfillProgress(ctx.db, progress);
    return progress;
  }

  while (!opts.signal?.aborted) {
    let page;
    try {
      page = progress.nextBefore === undefined ? await ctx.source.readLatest(channel, batch) : await ctx.source.readOlder(channel, progress.nextBefore, batch);
    } catch (err) {
      if (err instanceof SourceRateLimitedError && err.retryAfterMs <= (opts.maxRateLimitWaitMs ?? 15 * 60_000)) {
        log.warn({ retryAfterMs: err.retryAfterMs }, 'rate limited: waiting before the next page');
        await sleep(err.retryAfterMs);
        continue;
      }
      throw err;
    }
    if (page.length === 0) {
      progress.done = true;
      await saveBackfillProgress(ctx.db, progress);
      break;
    }
    const keep = page.filter((p) => (sinceMs === undefined || Date.parse(p.date) >= sinceMs) && (opts.fromId === undefined || p.messageId >= opts.fromId));
    const reachedTarget = keep.length < page.length || (opts.fromId !== undefined && page[0]!.messageId <= opts.fromId);
    const archived = await ctx.db.transaction(async (tx) => {
      const versions = await archivePosts(tx, keep.map((p) => decoratePost(p, opts.channel)), { fetchedAt: new Date(), meta: () => ({ source: ctx.source.name, backfill: true }) });
      const fresh = versions.filter((v) => v.isNew).map((v) => v.post);
      await enqueuePosts(ctx.postsQueue, fresh, { requeueFinished: true });
      progress.nextBefore = page[0]!.messageId;
      progress.oldestId = Math.min(progress.oldestId ?? Infinity, page[0]!.messageId);
      progress.posts += fresh.length;
      progress.pages += 1;
      progress.done = reachedTarget;
      await saveBackfillProgress(tx, progress);
      return fresh.length;
    });
    opts.onPage?.({ ...progress }, { oldestDate: page[0]!.date, archived });
    if (progress.done) break;
  }
  log.info({ posts: progress.posts, pages: progress.pages, done: progress.done, oldestId: progress.oldestId }, progress.done ? 'backfill complete' : 'backfill stopped; run it again to resume');
  return progress;
}
