/**
 * The posts archive: every version of every post we have read. A new version is stored only when
 * the text changed (an edit that touched only the edit date is the same version), so the archive is
 * the source of truth for replay after queue retention has trimmed the jobs.
 */
import { createHash } from 'node:crypto';
import type { Lang, Post } from '../domain/post.js';
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
}

export function textHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

interface ArchiveRow {
  version: number;
  inserted: boolean;
  previous: number | null;
  stale: boolean;
  same_text: boolean;
}

/*
 * One statement per post: read the latest version, insert version+1 when the text differs and the
 * post is not older than what we hold, and always report the version holding this text. Two
 * writers racing on the same new version hit the primary key; the loser's row is skipped
 * (`on conflict do nothing`) and ArchiveConflictError asks the caller to retry. (saveExtraction in
 * src/store/incidents.ts applies the same rules to a batch of posts.)
 */
const ARCHIVE_CTES = `
with latest as (
  select version, text_hash, edit_date, date
  from posts where channel = $1 and message_id = $2
  order by version desc limit 1
),
decision as (
  select
    (select version from latest) as latest_version,
    coalesce((select text_hash = $7 from latest), false) as same_text,
    coalesce((select coalesce(edit_date, date) > coalesce($5::timestamptz, $4::timestamptz) from latest), false) as stale
),
ins as (
  insert into posts (channel, message_id, version, post_id, date, edit_date, text, text_hash, lang, channel_region,
                     meta, fetched_at, extracted_by, extracted_at)
  select $1, $2, coalesce(d.latest_version, 0) + 1, $3, $4, $5, $6, $7, $8, $9, $10::jsonb,
         coalesce($11::timestamptz, now()), $12::text, case when $12::text is null then null else now() end
  from decision d where not d.same_text and not d.stale
  on conflict (channel, message_id, version) do nothing
  returning version
),
touch as (
  -- same text again: undelete a post that reappeared, and note which extractor read it
  update posts set deleted_at = null,
                   extracted_by = coalesce($12::text, extracted_by),
                   extracted_at = case when $12::text is null then extracted_at else now() end
  where channel = $1 and message_id = $2
    and version = (select latest_version from decision)
    and (select same_text from decision)
    and (deleted_at is not null or $12::text is not null)
  returning version
)`;

const ARCHIVE_SQL = `${ARCHIVE_CTES}
select
  coalesce((select version from ins), (select latest_version from decision)) as version,
  exists (select 1 from ins) as inserted,
  (select latest_version from decision) as previous,
  (select stale from decision) as stale,
  (select same_text from decision) as same_text,
  (select count(*) from touch)::int as touched
`;

export class ArchiveConflictError extends Error {
  readonly code = 'ARCHIVE_CONFLICT';
  constructor(postId: string) {
    super(`concurrent new version of ${postId}; retry`);
    this.name = 'ArchiveConflictError';
  }
}

/** Parameters $1…$12 of ARCHIVE_CTES. */
function archiveParams(post: Post, meta: Record<string, unknown>, fetchedAt: Date | undefined, extractor: string | undefined): unknown[] {
  return [
    post.channel,
    post.messageId,
    post.id,
    post.date,
    post.editDate ?? null,
    post.text,
    textHash(post.text),
    post.lang ?? null,
    post.channelRegion ?? null,
    JSON.stringify(meta),
    fetchedAt ? fetchedAt.toISOString() : null,
    extractor ?? null,
  ];
}

/**
 * Stores each post's text when it is new or changed; returns what happened per post, in input
 * order. Run it inside a transaction together with whatever must move with it (a channel cursor).
 * A post that reappears after deletion with the same text is undeleted.
 */
export async function archivePosts(
  tx: Sql,
  posts: Post[],
  options: {
    fetchedAt?: Date;
    meta?: (post: Post) => Record<string, unknown>;
    /** The extractor that read this version, when the caller extracted it too. */
    extractor?: string;
  } = {},
): Promise<ArchivedVersion[]> {
  const out: ArchivedVersion[] = [];
  for (const post of posts) {
    const params = archiveParams(post, options.meta?.(post) ?? {}, options.fetchedAt, options.extractor);
    const [row] = await tx.query<ArchiveRow>(ARCHIVE_SQL, params);
    if (!row) throw new Error('archive statement returned no row');
    if (!row.inserted && !row.same_text && !row.stale) throw new ArchiveConflictError(post.id);
    out.push({
      post,
      version: Number(row.version),
      isNew: row.inserted,
      isEdit: row.inserted && row.previous !== null,
      isStale: row.stale && !row.same_text,
    });
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

interface PageRow extends PostRow {
  matched: boolean;
}

type PostKey = { channel: string; messageId: number; version: number };

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
  const pageSize = filter.pageSize ?? 500;
  let after: PostKey | null = null;
  for (;;) {
    const { params, param } = paramList();
    const scan = postRangeFilters(filter, param);
    if (after) scan.push(`(p.channel, p.message_id, p.version) > (${param(after.channel)}, ${param(after.messageId)}, ${param(after.version)})`);
    const latest = 'p.version = (select max(n.version) from posts n where n.channel = p.channel and n.message_id = p.message_id)';
    const matched = [latest, ...latestVersionFilters(filter, param)].join(' and ');
    const rows: PageRow[] = await db.query<PageRow>(
      `select w.channel, w.message_id, w.version, w.post_id, w.date, w.edit_date, w.lang, w.channel_region, w.matched,
              case when w.matched then w.text end as text
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
    for (const row of rows) if (row.matched) yield { ...rowToPost(row), version: row.version };
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
