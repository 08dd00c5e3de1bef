/**
 * The posts archive: every version of every post we have read. A new version is stored only when
 * the text changed (an edit that touched only the edit date is the same version), so the archive is
 * the source of truth for replay after queue retention has trimmed the jobs.
 */
import { createHash } from 'node:crypto';
import type { Lang, Post, PostVersionKey } from '../domain/post.js';
import type { Db, Sql } from './db.js';

export interface ArchivedVersion {
  post: Post;
  /** The version now holding this text (1 for the first). */
  version: number;
  /** True when this call stored a new version (a first sighting or an edit). */
  isNew: boolean;
  /** True when the new version follows an earlier one with different text. */
  isEdit: boolean;
  /** True when the post is older than the latest stored version (an out-of-order edit): nothing stored. */
  isStale: boolean;
  /** True when the latest stored version was marked deleted before this call (a post that is back). */
  wasDeleted: boolean;
}

export function textHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

interface ArchiveRow {
  k: number;
  version: number | null;
  inserted: boolean;
  previous: number | null;
  stale: boolean;
  same_text: boolean;
  was_deleted: boolean;
}

export class ArchiveConflictError extends Error {
  readonly code = 'ARCHIVE_CONFLICT';
  constructor(postId: string) {
    super(`concurrent new version of ${postId}; retry`);
    this.name = 'ArchiveConflictError';
  }
}

export interface ArchiveOptions {
  fetchedAt?: Date;
  meta?: (post: Post) => Record<string, unknown>;
  /** The extractor that read this version, when the caller extracted it too. */
  extractor?: string;
}

/** Splits posts into runs in which each (channel, message id) appears once, keeping their order. */
function distinctRuns(posts: Post[]): Post[][] {
  const runs: Post[][] = [];
  let run: Post[] = [];
  let keys = new Set<string>();
  for (const post of posts) {
    const key = `${post.channel}\u0000${post.messageId}`;
    if (keys.has(key)) {
      runs.push(run);
      run = [];
      keys = new Set();
    }
    keys.add(key);
    run.push(post);
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

/** A post as the columns of a posts row, `k` its place in a batch: the input rows of the batched statements. */
export function postColumns(post: Post, k: number): Record<string, unknown> {
  return {
    k,
    channel: post.channel,
    message_id: post.messageId,
    post_id: post.id,
    date: post.date,
    edit_date: post.editDate ?? null,
    text: post.text,
    text_hash: textHash(post.text),
    lang: post.lang ?? null,
    channel_region: post.channelRegion ?? null,
  };
}

/**
 * Stores each post's text when it is new or changed; returns what happened per post, in input
 * order. Run it inside a transaction together with whatever must move with it (a channel cursor).
 * A post that reappears after deletion with the same text is undeleted (`wasDeleted` tells).
 * One statement for the whole batch (one more for each repeat of a post within it).
 */
export async function archivePosts(tx: Sql, posts: Post[], options: ArchiveOptions = {}): Promise<ArchivedVersion[]> {
  const out: ArchivedVersion[] = [];
  for (const run of distinctRuns(posts)) {
    const input = JSON.stringify(
      run.map((post, k) => ({ ...postColumns(post, k), meta: options.meta?.(post) ?? {} })),
    );
    // Every poll of every channel runs it; the statement is a function (migration 005 says why and what it does).
    const rows = await tx.query<ArchiveRow>(
      'select * from dw_archive_posts($1::jsonb, $2::timestamptz, $3::text)',
      [input, options.fetchedAt?.toISOString() ?? null, options.extractor ?? null],
      'dw_archive_posts',
    );
    if (rows.length !== run.length) throw new Error(`archive statement returned ${rows.length} rows for ${run.length} posts`);
    for (const row of rows) {
      const post = run[row.k]!;
      if (!row.inserted && !row.same_text && !row.stale) throw new ArchiveConflictError(post.id);
      out.push({
        post,
        version: Number(row.version),
        isNew: row.inserted,
        isEdit: row.inserted && row.previous !== null,
        isStale: row.stale && !row.same_text,
        wasDeleted: row.was_deleted,
      });
    }
  }
  return out;
}

/** Marks the latest versions of these messages deleted (the channel no longer shows them). */
export async function markDeleted(tx: Sql, channel: string, messageIds: number[]): Promise<number> {
  if (messageIds.length === 0) return 0;
  const rows = await tx.query<{ n: number }>(
    `with d as (
       update posts set deleted_at = now()
       where channel = $1 and message_id = any($2::bigint[]) and deleted_at is null
       returning 1
     ) select count(*)::int as n from d`,
    [channel, messageIds],
  );
  return rows[0]?.n ?? 0;
}

/** Which of these posts are archived already with exactly this text (a restart need not re-queue them). */
export async function knownPostTexts(db: Sql, posts: Post[]): Promise<Set<string>> {
  if (posts.length === 0) return new Set();
  const rows = await db.query<{ post_id: string; text_hash: string }>(
    `select p.post_id, p.text_hash
     from unnest($1::text[], $2::bigint[], $3::text[]) as k(channel, message_id, text_hash)
     join posts p on p.channel = k.channel and p.message_id = k.message_id and p.text_hash = k.text_hash`,
    [posts.map((p) => p.channel), posts.map((p) => p.messageId), posts.map((p) => textHash(p.text))],
  );
  return new Set(rows.map((r) => `${r.post_id}\u0000${r.text_hash}`));
}

export function knownKey(post: Post): string {
  return `${post.id}\u0000${textHash(post.text)}`;
}

export interface LatestPostsFilter {
  channel?: string;
  fromId?: number;
  toId?: number;
  since?: Date;
  until?: Date;
  /** Only posts whose stored records were made by another extractor version (or that have none). */
  outdatedExtractor?: string;
  includeDeleted?: boolean;
  /** Page size for streaming; default 500. */
  pageSize?: number;
}

interface PostRow {
  channel: string;
  message_id: string | number;
  version: number;
  post_id: string;
  date: Date | string;
  edit_date: Date | string | null;
  text: string;
  lang: string | null;
  channel_region: string | null;
}

function iso(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}

export function rowToPost(row: PostRow): Post {
  const post: Post = {
    id: row.post_id,
    channel: row.channel,
    messageId: Number(row.message_id),
    date: iso(row.date),
    text: row.text,
  };
  if (row.edit_date) post.editDate = iso(row.edit_date);
  if (row.lang) post.lang = row.lang as Lang;
  if (row.channel_region) post.channelRegion = row.channel_region;
  return post;
}

/** Conditions on the latest version `p` of a post: they judge only that version. */
function latestVersionFilters(filter: LatestPostsFilter, param: (v: unknown) => string): string[] {
  const where: string[] = [];
  if (filter.since) where.push(`p.date >= ${param(filter.since.toISOString())}`);
  if (filter.until) where.push(`p.date < ${param(filter.until.toISOString())}`);
  if (!filter.includeDeleted) where.push('p.deleted_at is null');
  if (filter.outdatedExtractor) where.push(`p.extracted_by is distinct from ${param(filter.outdatedExtractor)}`);
  return where;
}

/** Conditions on which posts (channel, message ids) are wanted at all. */
function postRangeFilters(filter: LatestPostsFilter, param: (v: unknown) => string): string[] {
  const where: string[] = [];
  if (filter.channel) where.push(`p.channel = ${param(filter.channel)}`);
  if (filter.fromId !== undefined) where.push(`p.message_id >= ${param(filter.fromId)}`);
  if (filter.toId !== undefined) where.push(`p.message_id <= ${param(filter.toId)}`);
  return where;
}

function paramList(): { params: unknown[]; param: (v: unknown) => string } {
  const params: unknown[] = [];
  return {
    params,
    param: (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    },
  };
}

/**
 * The latest version of each archived post matching the filter, oldest first, paged by
 * (channel, message id) so that a replay of millions of posts never holds them all in memory.
 *
 * Each page walks the next `pageSize` rows of the primary key (every version) after a cursor on
 * the whole key, and marks the rows that are a post's latest version and pass the filter; only
 * those carry their text. The scan itself has nothing but key bounds, so PostgreSQL (and PGlite)
 * always runs it as a range scan of posts_pkey that stops after one page: paging an archive costs
 * time in proportion to its size. (A `distinct on` over everything after the cursor made it
 * quadratic; a join on "no newer version" in the page query let the planner misjudge the last
 * channel's rows and rescan them for every row of a page.)
 */
export async function* latestPosts(db: Sql, filter: LatestPostsFilter = {}): AsyncGenerator<Post & { version: number }> {
  for await (const row of latestPostRows<PostRow & { version: number }>(db, filter, 'w.post_id, w.date, w.edit_date, w.lang, w.channel_region, case when w.matched then w.text end as text')) {
    yield { ...rowToPost(row), version: row.version };
  }
}

/** The keys (channel, message id, version) of the posts latestPosts would yield: what a replay job needs, without the texts. */
export async function* latestPostKeys(db: Sql, filter: LatestPostsFilter = {}): AsyncGenerator<PostVersionKey> {
  for await (const row of latestPostRows<KeyRow>(db, filter, '')) {
    yield { channel: row.channel, messageId: Number(row.message_id), version: Number(row.version) };
  }
}

interface KeyRow {
  channel: string;
  message_id: string | number;
  version: number;
}

/** The pages of latestPosts, each matched row with `columns` (of the page `w`) besides its key. */
async function* latestPostRows<Row extends KeyRow>(db: Sql, filter: LatestPostsFilter, columns: string): AsyncGenerator<Row> {
  const pageSize = filter.pageSize ?? 500;
  let after: PostVersionKey | null = null;
  for (;;) {
    const { params, param } = paramList();
    const scan = postRangeFilters(filter, param);
    if (after) scan.push(`(p.channel, p.message_id, p.version) > (${param(after.channel)}, ${param(after.messageId)}, ${param(after.version)})`);
    const latest = 'p.version = (select max(n.version) from posts n where n.channel = p.channel and n.message_id = p.message_id)';
    const matched = [latest, ...latestVersionFilters(filter, param)].join(' and ');
    const rows = await db.query<Row & { matched: boolean }>(
      `select w.channel, w.message_id, w.version, w.matched${columns ? `, ${columns}` : ''}
       from (
         select p.channel, p.message_id, p.version, p.post_id, p.date, p.edit_date, p.lang, p.channel_region, p.text,
                coalesce(${matched}, false) as matched
         from posts p
         ${scan.length ? `where ${scan.join(' and ')}` : ''}
         order by p.channel, p.message_id, p.version
         limit ${param(pageSize)}
       ) w
       order by w.channel, w.message_id, w.version`,
      params,
    );
    for (const row of rows) if (row.matched) yield row;
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1]!;
    after = { channel: last.channel, messageId: Number(last.message_id), version: Number(last.version) };
  }
}

/** How many posts latestPosts would yield for this filter, in one query. */
export async function countLatestPosts(db: Sql, filter: LatestPostsFilter = {}): Promise<number> {
  const { params, param } = paramList();
  const where = [
    ...postRangeFilters(filter, param),
    'not exists (select 1 from posts n where n.channel = p.channel and n.message_id = p.message_id and n.version > p.version)',
    ...latestVersionFilters(filter, param),
  ];
  const [row] = await db.query<{ n: number }>(`select count(*)::int as n from posts p where ${where.join(' and ')}`, params);
  return row?.n ?? 0;
}

/** Counts for `status`. */
export async function postStats(db: Db): Promise<{ posts: number; versions: number; deleted: number }> {
  const [row] = await db.query<{ posts: number; versions: number; deleted: number }>(
    `select count(distinct (channel, message_id))::int as posts, count(*)::int as versions,
            count(*) filter (where deleted_at is not null)::int as deleted from posts`,
  );
  return row ?? { posts: 0, versions: 0, deleted: 0 };
}

/**
 * The archived posts of these versions, in the order of `keys`, in one query: a replay job carries
 * only the keys, and the worker reads the texts here. A version no longer there, or
 * marked deleted since it was queued, is left out (re-extracting a deleted post would undelete it).
 */
export async function readArchivedVersions(db: Sql, keys: readonly PostVersionKey[]): Promise<Array<Post & { version: number }>> {
  if (keys.length === 0) return [];
  const rows = await db.query<PostRow & { version: number }>(
    `select p.channel, p.message_id, p.version, p.post_id, p.date, p.edit_date, p.text, p.lang, p.channel_region
     from unnest($1::text[], $2::bigint[], $3::int[]) with ordinality as k(channel, message_id, version, n)
     join posts p on p.channel = k.channel and p.message_id = k.message_id and p.version = k.version
     where p.deleted_at is null
     order by k.n`,
    [keys.map((k) => k.channel), keys.map((k) => k.messageId), keys.map((k) => k.version)],
    'dw_read_archived_versions',
  );
  return rows.map((row) => ({ ...rowToPost(row), version: Number(row.version) }));
}
