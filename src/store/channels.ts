/**
 * Per-channel state: the cursor (highest message id archived), the cached MTProto peer, poll health
 * and back-off, deletion candidates and backfill progress. The cursor moves only inside the
 * transaction that archives the posts it covers (advanceCursor), so a crash re-reads, never skips.
 */
import type { Sql } from './db.js';

export interface ChannelMeta {
  username: string;
  title?: string;
  homeRegion?: string;
  lang?: string;
  kind?: string;
}

export interface ChannelState {
  username: string;
  cursor: number;
  peerId?: string;
  accessHash?: string;
  backoffUntil?: Date;
  errorCount: number;
  lastSuccessAt?: Date;
  /** Posts noted missing from the re-read window in earlier polls (deletion candidates). */
  deletionCandidates?: number;
}

/** Registers the followed channels and refreshes their metadata; cursors and health are kept. */
export async function syncChannels(db: Sql, channels: ChannelMeta[]): Promise<void> {
  for (const c of channels) {
    await db.query(
      `insert into channels (username, title, home_region, lang, kind) values ($1, $2, $3, $4, $5)
       on conflict (username) do update set title = excluded.title, home_region = excluded.home_region,
         lang = excluded.lang, kind = excluded.kind, updated_at = now()`,
      [c.username, c.title ?? null, c.homeRegion ?? null, c.lang ?? null, c.kind ?? null],
    );
  }
}

interface StateRow {
  username: string;
  cursor: string | number;
  peer_id: string | null;
  access_hash: string | null;
  backoff_until: Date | string | null;
  error_count: number;
  last_success_at: Date | string | null;
  candidates: number;
}

const toDate = (v: Date | string | null | undefined): Date | undefined => (v === null || v === undefined ? undefined : new Date(v));

/** The state of a channel, in one statement (the listener reads it once per poll). */
export async function getChannelState(db: Sql, username: string): Promise<ChannelState> {
  const [row] = await db.query<StateRow>(
    `select username, cursor, peer_id, access_hash, backoff_until, error_count, last_success_at,
            (select count(*) from deletion_candidates d where d.channel = c.username)::int as candidates
     from channels c where username = $1`,
    [username],
    'dw_channel_state',
  );
  if (!row) return { username, cursor: 0, errorCount: 0 };
  const state: ChannelState = { username, cursor: Number(row.cursor), errorCount: row.error_count, deletionCandidates: row.candidates };
  if (row.peer_id) state.peerId = row.peer_id;
  if (row.access_hash) state.accessHash = row.access_hash;
  const backoff = toDate(row.backoff_until);
  if (backoff) state.backoffUntil = backoff;
  const success = toDate(row.last_success_at);
  if (success) state.lastSuccessAt = success;
  return state;
}

/**
 * Moves the cursor forward (never back) and notes the newest post date. Call it in the same
 * transaction as archivePosts for the posts up to `messageId`.
 */
export async function advanceCursor(tx: Sql, channel: string, messageId: number, lastPostAt?: string): Promise<void> {
  await tx.query(
    `insert into channels (username, cursor, last_post_at) values ($1, $2, $3)
     on conflict (username) do update set
       cursor = greatest(channels.cursor, excluded.cursor),
       last_post_at = greatest(channels.last_post_at, excluded.last_post_at),
       updated_at = now()`,
    [channel, messageId, lastPostAt ?? null],
  );
}

export async function recordPollSuccess(db: Sql, channel: string, at = new Date()): Promise<void> {
  await db.query(
    `insert into channels (username, last_poll_at, last_success_at, polls_total) values ($1, $2, $2, 1)
     on conflict (username) do update set last_poll_at = $2, last_success_at = $2, error_count = 0,
       unavailable_reason = null, backoff_until = null, polls_total = channels.polls_total + 1, updated_at = now()`,
    [channel, at.toISOString()],
  );
}

/**
 * Counts a failed poll. `backoffMs` (when given) makes the listener skip this channel's polls until
 * then. Returns the number of failures in a row.
 */
export async function recordPollError(
  db: Sql,
  channel: string,
  error: { message: string; unavailable?: string; backoffMs?: number },
  at = new Date(),
): Promise<number> {
  const until = error.backoffMs ? new Date(at.getTime() + error.backoffMs).toISOString() : null;
  const [row] = await db.query<{ error_count: number }>(
    `insert into channels (username, last_poll_at, error_count, errors_total, last_error, last_error_at, unavailable_reason, backoff_until, polls_total)
     values ($1, $2, 1, 1, $3, $2, $4, $5, 1)
     on conflict (username) do update set last_poll_at = $2, error_count = channels.error_count + 1,
       errors_total = channels.errors_total + 1, last_error = $3, last_error_at = $2, unavailable_reason = $4,
       backoff_until = $5, polls_total = channels.polls_total + 1, updated_at = now()
     returning error_count`,
    [channel, at.toISOString(), error.message.slice(0, 1000), error.unavailable ?? null, until],
  );
  return row?.error_count ?? 1;
}

/** Caches a resolved MTProto peer: username resolution is flood-limited, so it happens once. */
export async function savePeer(db: Sql, channel: string, peer: { id: string; accessHash: string }): Promise<void> {
  await db.query(
    `insert into channels (username, peer_id, access_hash, peer_resolved_at) values ($1, $2, $3, now())
     on conflict (username) do update set peer_id = $2, access_hash = $3, peer_resolved_at = now(), updated_at = now()`,
    [channel, peer.id, peer.accessHash],
  );
}

export async function getPeer(db: Sql, channel: string): Promise<{ id: string; accessHash: string } | undefined> {
  const [row] = await db.query<{ peer_id: string | null; access_hash: string | null }>('select peer_id, access_hash from channels where username = $1', [channel]);
  return row?.peer_id && row.access_hash ? { id: row.peer_id, accessHash: row.access_hash } : undefined;
}

/** Message ids of archived, not deleted posts of a channel in [fromId, toId]. */
export async function activeMessageIds(db: Sql, channel: string, fromId: number, toId: number): Promise<number[]> {
  const rows = await db.query<{ message_id: string | number }>(
    `select distinct message_id from posts
     where channel = $1 and message_id between $2 and $3 and deleted_at is null order by message_id`,
    [channel, fromId, toId],
  );
  return rows.map((r) => Number(r.message_id));
}

/**
 * Notes which archived posts this poll's window did not show. A post must be missing in two polls
 * running to count as deleted: ids seen again, or no longer missing, drop out. Returns the ids
 * missing for the second time (or more).
 */
export async function trackMissing(tx: Sql, channel: string, missingIds: number[]): Promise<number[]> {
  await tx.query('delete from deletion_candidates where channel = $1 and not (message_id = any($2::bigint[]))', [channel, missingIds]);
  if (missingIds.length === 0) return [];
  const rows = await tx.query<{ message_id: string | number; misses: number }>(
    `insert into deletion_candidates (channel, message_id) select $1, unnest($2::bigint[])
     on conflict (channel, message_id) do update set misses = deletion_candidates.misses + 1, last_missed_at = now()
     returning message_id, misses`,
    [channel, missingIds],
  );
  return rows.filter((r) => r.misses >= 2).map((r) => Number(r.message_id)).sort((a, b) => a - b);
}

export async function clearMissing(tx: Sql, channel: string, ids?: number[]): Promise<void> {
  if (ids === undefined) await tx.query('delete from deletion_candidates where channel = $1', [channel]);
  else if (ids.length > 0) await tx.query('delete from deletion_candidates where channel = $1 and message_id = any($2::bigint[])', [channel, ids]);
}

export interface BackfillProgress {
  channel: string;
  since?: Date;
  fromId?: number;
  /** The next page to read lies before this id. */
  nextBefore?: number;
  oldestId?: number;
  posts: number;
  pages: number;
  done: boolean;
}

export async function getBackfillProgress(db: Sql, channel: string): Promise<BackfillProgress | undefined> {
  const [r] = await db.query<{
    since: Date | string | null;
    from_id: string | null;
    next_before: string | null;
    oldest_id: string | null;
    posts: number;
    pages: number;
    done: boolean;
  }>('select since, from_id, next_before, oldest_id, posts, pages, done from backfill_progress where channel = $1', [channel]);
  if (!r) return undefined;
  const p: BackfillProgress = { channel, posts: r.posts, pages: r.pages, done: r.done };
  const since = toDate(r.since);
  if (since) p.since = since;
  if (r.from_id !== null) p.fromId = Number(r.from_id);
  if (r.next_before !== null) p.nextBefore = Number(r.next_before);
  if (r.oldest_id !== null) p.oldestId = Number(r.oldest_id);
  return p;
}

export async function saveBackfillProgress(tx: Sql, p: BackfillProgress): Promise<void> {
  await tx.query(
    `insert into backfill_progress (channel, since, from_id, next_before, oldest_id, posts, pages, done)
     values ($1, $2, $3, $4, $5, $6, $7, $8)
     on conflict (channel) do update set since = $2, from_id = $3, next_before = $4, oldest_id = $5,
       posts = $6, pages = $7, done = $8, updated_at = now()`,
    [p.channel, p.since?.toISOString() ?? null, p.fromId ?? null, p.nextBefore ?? null, p.oldestId ?? null, p.posts, p.pages, p.done],
  );
}

export async function resetBackfillProgress(db: Sql, channel: string): Promise<void> {
  await db.query('delete from backfill_progress where channel = $1', [channel]);
}

export interface ChannelHealth {
  channel: string;
  title?: string;
  homeRegion?: string;
  cursor: number;
  lastPollAt?: string;
  lastSuccessAt?: string;
  lastPostAt?: string;
  /** Failed polls in a row. */
  errorCount: number;
  errorsTotal: number;
  lastError?: string;
  unavailable?: string;
  backoffUntil?: string;
  /** The channel's usual longest quiet spell (95th percentile of gaps between posts, last 60 days). */
  usualGapMs?: number;
  /** Quiet for longer than twice its usual longest gap (and at least an hour). */
  silent: boolean;
}

/** Channels whose history has fewer gaps than this have no learned rhythm yet: never flagged silent. */
const MIN_GAPS_FOR_RHYTHM = 5;
const MIN_SILENCE_MS = 60 * 60 * 1000;

/** Health of every known channel, for `status` and /metrics. */
export async function channelHealth(db: Sql, now = new Date()): Promise<ChannelHealth[]> {
  const rows = await db.query<{
    username: string;
    title: string | null;
    home_region: string | null;
    cursor: string | number;
    last_poll_at: Date | string | null;
    last_success_at: Date | string | null;
    last_post_at: Date | string | null;
    error_count: number;
    errors_total: number;
    last_error: string | null;
    unavailable_reason: string | null;
    backoff_until: Date | string | null;
    gaps: string | number | null;
    p95_gap_s: number | null;
  }>(
    `with dated as (
       select channel, message_id, min(date) as date from posts
       where date > $1::timestamptz - interval '60 days' group by channel, message_id
     ), gaps as (
       select channel, extract(epoch from date - lag(date) over (partition by channel order by date, message_id)) as gap_s from dated
     ), rhythm as (
       select channel, count(*) as gaps, percentile_cont(0.95) within group (order by gap_s) as p95_gap_s
       from gaps where gap_s is not null group by channel
     ), newest as (
       select channel, max(date) as last_post_at from posts where deleted_at is null group by channel
     )
     select c.username, c.title, c.home_region, c.cursor, c.last_poll_at, c.last_success_at,
            greatest(c.last_post_at, n.last_post_at) as last_post_at, c.error_count, c.errors_total, c.last_error,
            c.unavailable_reason, c.backoff_until, r.gaps, r.p95_gap_s
     from channels c left join rhythm r on r.channel = c.username left join newest n on n.channel = c.username
     order by c.username`,
    [now.toISOString()],
  );
  return rows.map((r) => {
    const iso = (v: Date | string | null) => (v === null ? undefined : new Date(v).toISOString());
    const h: ChannelHealth = {
      channel: r.username,
      cursor: Number(r.cursor),
      errorCount: r.error_count,
      errorsTotal: r.errors_total,
      silent: false,
    };
    if (r.title) h.title = r.title;
    if (r.home_region) h.homeRegion = r.home_region;
    const set = <K extends keyof ChannelHealth>(k: K, v: ChannelHealth[K] | undefined) => {
      if (v !== undefined) h[k] = v;
    };
    set('lastPollAt', iso(r.last_poll_at));
    set('lastSuccessAt', iso(r.last_success_at));
    set('lastPostAt', iso(r.last_post_at));
    set('lastError', r.last_error ?? undefined);
    set('unavailable', r.unavailable_reason ?? undefined);
    set('backoffUntil', iso(r.backoff_until));
    if (r.p95_gap_s !== null && Number(r.gaps) >= MIN_GAPS_FOR_RHYTHM) {
      h.usualGapMs = Math.round(Number(r.p95_gap_s) * 1000);
      if (h.lastPostAt) h.silent = isSilent(now.getTime() - Date.parse(h.lastPostAt), h.usualGapMs);
    }
    return h;
  });
}

/** A channel is silent when its quiet spell exceeds twice its usual longest gap, and an hour. */
export function isSilent(quietMs: number, usualGapMs: number): boolean {
  return quietMs > Math.max(2 * usualGapMs, MIN_SILENCE_MS);
}
