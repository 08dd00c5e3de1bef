/**
 * Reading archived post versions by key, for replay jobs: a replay job carries only the keys of
 * the versions it re-extracts, and the worker reads their texts here, all of them in one query.
 */
import type { Post } from '../domain/post.js';
import type { Sql } from './db.js';
import { rowToPost } from './posts.js';

/** One post version in the archive (the posts primary key). */
export interface ArchiveKey {
  channel: string;
  messageId: number;
  version: number;
}

type ArchiveRow = Parameters<typeof rowToPost>[0] & { version: number };

/**
 * The archived posts of these versions, in the order of `keys`. A version no longer there, or
 * marked deleted since it was queued, is left out (re-extracting a deleted post would undelete it).
 */
export async function readArchivedVersions(db: Sql, keys: readonly ArchiveKey[]): Promise<Array<Post & { version: number }>> {
  if (keys.length === 0) return [];
  const rows = await db.query<ArchiveRow>(
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
