/**
 * One poll of one channel: read what is new after the stored cursor plus a re-read window of the
 * latest posts, archive new posts and changed texts as new versions, queue those versions, and move
 * the cursor — all in one transaction, so a crash re-reads and never skips. Then look for posts
 * that vanished from the window (deletions, confirmed over two polls).
 *
 * A poll runs every second or so per channel, so its round trips are counted: the channel state is
 * read once (by the listener, before the page is fetched), the whole read window is archived in one
 * statement (which also tells which posts were marked deleted), the jobs are one addBulk, the
 * cursor one statement; the deletion check reads the window's archived ids once and touches the
 * deletion candidates only when there are any.
 */
import type { Queue } from 'bullmq';
import { wellFormedText, type Post } from '../domain/post.js';
import type { Logger } from '../logger.js';
import type { PostJobData } from '../queue/names.js';
import { enqueuePosts } from '../queue/queues.js';
import { activeMessageIds, advanceCursor, clearMissing, getChannelState, trackMissing, type ChannelState } from '../store/channels.js';
import type { Db } from '../store/db.js';
import type { IncidentChange } from '../store/incidents.js';
import { retractPost } from '../store/incidents.js';
import { archivePosts } from '../store/posts.js';
import type { ChannelEntry } from './registry.js';
import type { Source, SourcePost } from './types.js';

export interface PollContext {
  db: Db;
  source: Source;
  postsQueue: Queue<PostJobData>;
  logger: Logger;
  /** How many of the latest posts each poll re-reads (edits, deletions). */
  rereadWindow: number;
  /** At most this many posts after the cursor per poll; the rest on the next poll. */
  maxCatchUp?: number;
  /** Retractions of deleted posts (the extract worker reports its own changes). */
  onChanges?: (changes: IncidentChange[]) => void | Promise<void>;
  now?: () => Date;
  /** The channel's state as just read by the caller (saves reading it again); read here when absent. */
  state?: ChannelState;
}

export interface PollResult {
  channel: string;
  read: number;
  newPosts: number;
  editedPosts: number;
  queued: number;
  deleted: number[];
  cursor: number;
  /** Set when a deletion check was refused by the guard. */
  deletionGuard?: string;
}

export const DEFAULT_MAX_CATCH_UP = 500;
/** With fewer posts than this in a window, "neighbours" mean little: no deletion check. */
const MIN_WINDOW_FOR_DELETIONS = 3;

/** Adds what the registry knows about the channel (home region) to a read post. */
export function decoratePost(post: SourcePost, entry: ChannelEntry): Post {
  // The archive is written straight from the source: a NUL or an unpaired surrogate (which
  // PostgreSQL refuses) would fail this channel's poll transaction on every poll.
  const out: Post = { id: post.id, channel: post.channel, messageId: post.messageId, date: post.date, text: wellFormedText(post.text) };
  if (post.editDate) out.editDate = post.editDate;
  if (post.lang) out.lang = post.lang;
  const region = post.channelRegion ?? entry.homeRegion;
  if (region) out.channelRegion = region;
  return out;
}

function sourceMeta(post: SourcePost, sourceName: string): Record<string, unknown> {
  const meta: Record<string, unknown> = { source: sourceName };
  if (post.views !== undefined) meta.views = post.views;
  if (post.forwardedFrom) meta.forwardedFrom = post.forwardedFrom;
  if (post.groupedId) meta.groupedId = post.groupedId;
  if (post.edited) meta.edited = true;
  return meta;
}

/** Merges reads of the same channel; a later read of an id wins. */
function mergeById(...lists: SourcePost[][]): SourcePost[] {
  const byId = new Map<number, SourcePost>();
  for (const list of lists) for (const p of list) byId.set(p.messageId, p);
  return [...byId.values()].sort((a, b) => a.messageId - b.messageId);
}

export async function pollChannel(ctx: PollContext, entry: ChannelEntry): Promise<PollResult> {
  const channel = entry.username;
  const log = ctx.logger.child({ channel });
  const now = ctx.now ?? (() => new Date());
  const maxCatchUp = ctx.maxCatchUp ?? DEFAULT_MAX_CATCH_UP;
  const state = ctx.state ?? (await getChannelState(ctx.db, channel));
  const windowSize = Math.max(ctx.rereadWindow, 1);

  const window = await ctx.source.readLatest(channel, windowSize);
  let catchUp: SourcePost[] = [];
  let cursorTarget = window.at(-1)?.messageId ?? state.cursor;
  const windowOldest = window[0]?.messageId;
  // The window does not reach back to the cursor: read the gap (older pages) before moving on.
  if (state.cursor > 0 && windowOldest !== undefined && windowOldest > state.cursor + 1) {
    catchUp = await ctx.source.readNewer(channel, state.cursor, maxCatchUp);
    if (catchUp.length >= maxCatchUp) {
      // Only the oldest part of the gap was read: the cursor stops where the read stopped.
      cursorTarget = catchUp.at(-1)!.messageId;
      log.info({ cursor: state.cursor, read: catchUp.length, windowOldest }, 'catching up: more posts than one poll takes; continuing next poll');
    }
  }
  const read = mergeById(catchUp, window);
  const fetchedAt = now();
  const sourceName = ctx.source.name;
  const byId = new Map(read.map((p) => [p.messageId, p]));
  const lastPost = read.filter((p) => p.messageId <= cursorTarget).at(-1);

  const { versions, queued } = await ctx.db.transaction(async (tx) => {
    // The whole read (window and catch-up) in one statement: unchanged posts cost a key lookup.
    const versions = await archivePosts(
      tx,
      read.map((p) => decoratePost(p, entry)),
      { fetchedAt, meta: (p) => sourceMeta(byId.get(p.messageId) ?? (p as SourcePost), sourceName) },
    );
    const jobs = versions.filter((v) => v.isNew).map((v) => jobPost(v.post, v.isEdit, fetchedAt));
    // A post marked deleted that is back with the same text was undeleted by archivePosts, but its
    // records stay retracted until it is extracted again: queue it under a fresh job id.
    const back = versions.filter((v) => !v.isNew && !v.isStale && v.wasDeleted).map((v) => v.post);
    // Queued inside the transaction: if Redis refuses, the archive write and the cursor roll back
    // and the next poll reads these posts again. A job whose commit then fails is harmless: the
    // extract worker archives the same version itself. (The worker may take a job before this
    // commits; its save then waits for the commit and retries at once, see SaveBatcher.)
    let queued = await enqueuePosts(ctx.postsQueue, jobs, { requeueFinished: true });
    if (back.length > 0) {
      log.info({ messageIds: back.map((p) => p.messageId) }, 'deleted posts are back: re-extracting them');
      queued += await enqueuePosts(ctx.postsQueue, back, { replay: true });
    }
    // The cursor after the jobs, still before the commit: the jobs go out one round trip sooner.
    if (cursorTarget > state.cursor) await advanceCursor(tx, channel, cursorTarget, lastPost?.date);
    return { versions, queued };
  });

  const result: PollResult = {
    channel,
    read: read.length,
    newPosts: versions.filter((v) => v.isNew && !v.isEdit).length,
    editedPosts: versions.filter((v) => v.isEdit).length,
    queued,
    deleted: [],
    cursor: Math.max(state.cursor, cursorTarget),
  };
  const deletion = await detectDeletions(ctx, channel, window, log, state.deletionCandidates);
  result.deleted = deletion.deleted;
  if (deletion.guard) result.deletionGuard = deletion.guard;
  if (result.newPosts || result.editedPosts || result.deleted.length) {
    log.info({ newPosts: result.newPosts, editedPosts: result.editedPosts, deleted: result.deleted, cursor: result.cursor }, 'channel polled');
  } else {
    log.debug({ read: result.read, cursor: result.cursor }, 'channel polled, nothing new');
  }
  return result;
}

/**
 * The job carries the version's text; an edit whose source gave no edit time gets the time we
 * read it, so that its job id differs from the original's (BullMQ would drop it as a duplicate).
 */
function jobPost(post: Post, isEdit: boolean, fetchedAt: Date): Post {
  if (isEdit && !post.editDate) return { ...post, editDate: fetchedAt.toISOString() };
  return post;
}

/**
 * A post is deleted when an archived id lies strictly inside the window (its neighbours on both
 * sides were read) but the window lacks it, in two polls running. When more than a third of the
 * archived posts inside a window vanish at once, the page is more likely broken than purged:
 * nothing is retracted and the reason is logged.
 */
async function detectDeletions(
  ctx: PollContext,
  channel: string,
  window: SourcePost[],
  log: Logger,
  /** How many deletion candidates the channel had before this poll (undefined: unknown). */
  candidates: number | undefined,
): Promise<{ deleted: number[]; guard?: string }> {
  if (window.length < MIN_WINDOW_FOR_DELETIONS) return { deleted: [] };
  const lo = window[0]!.messageId;
  const hi = window.at(-1)!.messageId;
  const present = new Set(window.map((p) => p.messageId));
  const archived = await activeMessageIds(ctx.db, channel, lo + 1, hi - 1);
  const missing = archived.filter((id) => !present.has(id));
  if (missing.length > 0 && missing.length * 3 > window.length) {
    const guard = `${missing.length} posts vanished at once from a window of ${window.length} (${lo}..${hi}), more than a third: not treated as deletions`;
    log.warn({ missing: missing.slice(0, 50), lo, hi }, guard);
    await clearMissing(ctx.db, channel);
    return { deleted: [], guard };
  }
  // Nothing missing and no candidates left from earlier polls: nothing to note or clear.
  if (missing.length === 0 && candidates === 0) return { deleted: [] };
  const confirmed = await trackMissing(ctx.db, channel, missing);
  if (missing.length > confirmed.length) log.info({ missing: missing.filter((id) => !confirmed.includes(id)) }, 'posts missing from the window once; deleted if still missing next poll');
  const deleted: number[] = [];
  for (const id of confirmed) {
    const changes = await retractPost(ctx.db, channel, id);
    await clearMissing(ctx.db, channel, [id]);
    deleted.push(id);
    log.info({ messageId: id, retracted: changes.length }, 'post deleted from the channel: marked deleted, records retracted');
    if (changes.length > 0) await ctx.onChanges?.(changes);
  }
  return { deleted };
}
