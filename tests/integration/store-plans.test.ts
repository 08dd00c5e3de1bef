/**
 * The hot writes' plans stay index probes however the tables grew after they were planned.
 *
 * A prepared statement is planned once per connection and kept: planned on a new installation's
 * nearly empty tables, it read whole tables on every save until autovacuum analyzed them (three
 * times the PostgreSQL CPU per post in the throughput bench, and growing with the tables).
 * Migration 005 makes the listener's archive and the worker's save functions planned with
 * sequential scans off. Here: one connection writes into fresh tables (so the plans are made while
 * they are nearly empty), the tables grow with nobody analyzing them, the same posts are written
 * again (same text with an extractor, edits; records changed and vanished: the lookup, update
 * and retraction paths), and PostgreSQL's own counters must show no sequential scan of posts,
 * incidents or events, and only a handful of rows read through indexes per post (no full index
 * scan, which sequential scans turned off could otherwise become).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentRecord } from '../../src/domain/incident.js';
import type { Post } from '../../src/domain/post.js';
import { openPostgres, type Db } from '../../src/store/db.js';
import { saveExtractionBatch } from '../../src/store/incidents.js';
import { migrate } from '../../src/store/migrate.js';
import { archivePosts } from '../../src/store/posts.js';
import { DATABASE_URL, makePost, makeRecord, randomTag, testSchema } from '../helpers/pipeline-env.js';

const TABLES = ['posts', 'incidents', 'events'];

/** A text of a governor's post's length (a few hundred characters), so that rows take pages as real ones do. */
function postText(i: number): string {
  return `Сводка №${i}. Над территорией Белгородской области силами ПВО уничтожены беспилотные летательные аппараты. ` +
    'Пострадавших нет. Последствия уточняются, информация о повреждениях будет опубликована дополнительно. '.repeat(3);
}

interface TableScans {
  /** Sequential scans. */
  seq: number;
  /** Rows fetched through indexes: a few per row written when every lookup is a probe. */
  indexRows: number;
}

async function scans(db: Db): Promise<Record<string, TableScans>> {
  // Counters of this backend reach the shared statistics when flushed; read a fresh snapshot.
  await db.query('select pg_stat_force_next_flush()');
  await db.query('select pg_stat_clear_snapshot()');
  const rows = await db.query<{ relname: string; seq_scan: string; idx_tup_fetch: string | null }>(
    'select relname, seq_scan, idx_tup_fetch from pg_stat_user_tables where schemaname = current_schema() and relname = any($1)',
    [TABLES],
  );
  return Object.fromEntries(rows.map((r) => [r.relname, { seq: Number(r.seq_scan), indexRows: Number(r.idx_tup_fetch ?? 0) }]));
}

/** Scans between two readings, per table. */
function scansBetween(before: Record<string, TableScans>, after: Record<string, TableScans>, table: string): TableScans {
  return { seq: (after[table]?.seq ?? 0) - (before[table]?.seq ?? 0), indexRows: (after[table]?.indexRows ?? 0) - (before[table]?.indexRows ?? 0) };
}

describe('save statement plan', () => {
  let db: Db;
  const schema = testSchema(randomTag());
  beforeAll(async () => {
    // One connection: the plan under test is the one this session caches.
    db = await openPostgres(DATABASE_URL, schema, 1);
    await migrate(db);
  });
  afterAll(async () => {
    await db?.query(`drop schema if exists "${schema}" cascade`);
    await db?.close();
  });

  it('probes indexes only, from the first save into empty tables to thousands of rows', async () => {
    const posts: Post[] = Array.from({ length: 1_200 }, (_, i) => makePost({ channel: `plan_ch${i % 7}`, messageId: i + 1, text: postText(i) }));
    const recordsOf = (post: Post, round: number): IncidentRecord[] => {
      // Three records a post at first; later one changed, one kept, one gone.
      if (round === 0) return [1, 2, 3].map((n) => makeRecord(post, n, { count: n }));
      return [makeRecord(post, 1, { count: 10 }), makeRecord(post, 2, { count: 2 })];
    };
    const before = await scans(db);
    for (const round of [0, 1]) {
      for (let i = 0; i < posts.length; i += 8) {
        const batch = posts.slice(i, i + 8).map((post) => ({ post, records: recordsOf(post, round), extractor: 'test-extractor@1' }));
        const results = await saveExtractionBatch(db, batch);
        expect(results.every((r) => r !== null)).toBe(true);
      }
    }
    const after = await scans(db);
    const [stored] = await db.query<{ active: number; retracted: number; events: number }>(
      `select count(*) filter (where status = 'active')::int as active, count(*) filter (where status = 'retracted')::int as retracted,
              (select count(*)::int from events) as events from incidents`,
    );
    // created 3 per post, then updated 1 and retracted 1 per post
    expect(stored).toEqual({ active: 2_400, retracted: 1_200, events: 6_000 });
    for (const table of TABLES) {
      const s = scansBetween(before, after, table);
      // 2,400 saves of 1,200 posts with 3 records each: a full index scan per batch would read
      // hundreds of thousands of rows; probes read a handful per post.
      expect({ table, seq: s.seq, probesOnly: s.indexRows < 10 * posts.length }).toEqual({ table, seq: 0, probesOnly: true });
    }
  }, 120_000);

  it('archives poll windows by index probes only: first sightings, the same text again, edits', async () => {
    const posts: Post[] = Array.from({ length: 1_200 }, (_, i) => makePost({ channel: `arch_ch${i % 5}`, messageId: i + 1, text: postText(i) }));
    const before = await scans(db);
    const rounds: Array<{ posts: Post[]; extractor?: string; inserted: number }> = [
      { posts, inserted: 1_200 },
      { posts, extractor: 'test-extractor@1', inserted: 0 },
      { posts: posts.map((p) => ({ ...p, text: `${p.text} (правка)`, editDate: '2025-10-14T05:00:00.000Z' })), inserted: 1_200 },
    ];
    for (const round of rounds) {
      let inserted = 0;
      for (let i = 0; i < round.posts.length; i += 20) {
        const versions = await archivePosts(db, round.posts.slice(i, i + 20), round.extractor ? { extractor: round.extractor } : {});
        inserted += versions.filter((v) => v.isNew).length;
      }
      expect(inserted).toBe(round.inserted);
    }
    const after = await scans(db);
    const [stored] = await db.query<{ versions: number; read: number }>(
      `select count(*)::int as versions, count(*) filter (where extracted_by = 'test-extractor@1')::int as read from posts where channel like 'arch_ch%'`,
    );
    expect(stored).toEqual({ versions: 2_400, read: 1_200 });
    const s = scansBetween(before, after, 'posts');
    expect({ seq: s.seq, probesOnly: s.indexRows < 10 * posts.length }).toEqual({ seq: 0, probesOnly: true });
  }, 120_000);
});
