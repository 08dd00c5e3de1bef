/**
 * The store on both engines (PostgreSQL in a fresh schema, PGlite in a temp dir): the posts archive,
 * the record diff with its outbox events, idempotency, listing with filters and pages, failures.
 * Records are written by hand here (no extractor involved).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Post } from '../../src/domain/post.js';
import { SaveBatcher } from '../../src/queue/extract-worker.js';
import { eventId, recordHash } from '../../src/store/incidents.js';
import { ArchiveConflictError, archivePosts, countLatestPosts, latestPostKeys, latestPosts, type LatestPostsFilter } from '../../src/store/posts.js';
import { count, createPipelineEnv, makePost, makeRecord, type PipelineEnv } from '../helpers/pipeline-env.js';

/** Opening a store (PGlite especially) and cleaning up take long on a loaded machine. */
const HOOK_TIMEOUT_MS = 90_000;

describe.each(['postgres', 'embedded'] as const)('store on %s', (kind) => {
  let env: PipelineEnv;
  beforeAll(async () => {
    env = await createPipelineEnv({ kind });
  }, HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await env?.cleanup();
  }, HOOK_TIMEOUT_MS);

  describe('posts archive', () => {
    it('stores a version only when the text changes', async () => {
      const post = makePost({ channel: 'archive_test', messageId: 1, text: 'first text' });
      const [a] = await env.store.archivePosts([post]);
      expect(a).toMatchObject({ version: 1, isNew: true, isEdit: false, isStale: false });

      const [same] = await env.store.archivePosts([post]);
      expect(same).toMatchObject({ version: 1, isNew: false });

      // an edit that touched only the edit date is the same version
      const [dateOnly] = await env.store.archivePosts([{ ...post, editDate: '2025-10-14T05:00:00.000Z' }]);
      expect(dateOnly).toMatchObject({ version: 1, isNew: false });

      const edited: Post = { ...post, editDate: '2025-10-14T06:00:00.000Z', text: 'edited text' };
      const [b] = await env.store.archivePosts([edited]);
      expect(b).toMatchObject({ version: 2, isNew: true, isEdit: true });

      // the original arriving late is older than what is stored: nothing changes
      const [late] = await env.store.archivePosts([post]);
      expect(late).toMatchObject({ version: 2, isNew: false, isStale: true });
      // the latest text again, with no edit date at all, is not stale: same text, same version
      const [sameLatest] = await env.store.archivePosts([{ ...post, text: 'edited text' }]);
      expect(sameLatest).toMatchObject({ version: 2, isNew: false, isStale: false });

      expect(await count(env.store, 'select count(*) as n from posts where channel = $1', ['archive_test'])).toBe(2);
      const latest = [];
      for await (const p of env.store.latestPosts({ channel: 'archive_test' })) latest.push(p);
      expect(latest).toEqual([expect.objectContaining({ id: post.id, text: 'edited text', version: 2 })]);
    });

    it('pages the latest versions and finds posts an older extractor read', async () => {
      const posts = Array.from({ length: 7 }, (_, i) => makePost({ channel: 'paging_test', messageId: i + 1, text: `p${i}` }));
      await env.store.archivePosts(posts);
      const seen: number[] = [];
      for await (const p of env.store.latestPosts({ channel: 'paging_test', pageSize: 3 })) seen.push(p.messageId);
      expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);

      await env.store.saveExtraction(posts[0]!, [], 'rules@2');
      const outdated: number[] = [];
      for await (const p of env.store.latestPosts({ channel: 'paging_test', outdatedExtractor: 'rules@2', fromId: 1, toId: 3 })) outdated.push(p.messageId);
      expect(outdated).toEqual([2, 3]);
    });

    it('filters on the latest version, pages across channels, and counts what it pages', async () => {
      const day = (d: number) => `2025-09-${String(d).padStart(2, '0')}T00:00:00.000Z`;
      const posts = ['filter_a', 'filter_b'].flatMap((channel) =>
        Array.from({ length: 5 }, (_, i) => makePost({ channel, messageId: i + 1, date: day(i + 1), text: `${channel} ${i}` })),
      );
      for (const p of posts) await env.store.saveExtraction(p, [], 'rules@2');
      // an edit of filter_a/2 archived but not extracted yet: only its latest version is outdated
      await env.store.archivePosts([{ ...posts[1]!, text: 'filter_a 1, edited', editDate: day(20) }]);
      await env.store.db.query(`update posts set deleted_at = now() where channel = 'filter_b' and message_id = 3`);

      const check = async (filter: LatestPostsFilter, expected: string[]) => {
        const all: string[] = [];
        for await (const p of latestPosts(env.store.db, { pageSize: 2, ...filter })) all.push(`${p.id}@${p.version}`);
        expect(all.filter((id) => id.startsWith('filter_'))).toEqual(expected);
        expect(await countLatestPosts(env.store.db, filter)).toBe(all.length);
        const keys: string[] = [];
        for await (const k of latestPostKeys(env.store.db, { pageSize: 3, ...filter })) keys.push(`${k.channel}/${k.messageId}@${k.version}`);
        expect(keys).toEqual(all);
      };
      await check({}, ['filter_a/1@1', 'filter_a/2@2', 'filter_a/3@1', 'filter_a/4@1', 'filter_a/5@1', 'filter_b/1@1', 'filter_b/2@1', 'filter_b/4@1', 'filter_b/5@1']);
      await check({ includeDeleted: true, channel: 'filter_b' }, ['filter_b/1@1', 'filter_b/2@1', 'filter_b/3@1', 'filter_b/4@1', 'filter_b/5@1']);
      await check({ outdatedExtractor: 'rules@2' }, ['filter_a/2@2']);
      await check({ since: new Date(day(2)), until: new Date(day(4)) }, ['filter_a/2@2', 'filter_a/3@1', 'filter_b/2@1']);
      await check({ channel: 'filter_b', fromId: 2, toId: 4, includeDeleted: true }, ['filter_b/2@1', 'filter_b/3@1', 'filter_b/4@1']);
      await check({ channel: 'filter_b', fromId: 2, toId: 4, since: new Date(day(4)) }, ['filter_b/4@1']);
    });
  });

  describe('saveExtraction', () => {
    it('creates, updates, retracts with one event per change, and is idempotent', async () => {
      const post = makePost({ channel: 'diff_test', messageId: 10, text: 'v1' });
      const r0 = makeRecord(post, 0, { count: 3 });
      const r1 = makeRecord(post, 1, { count: 5, region: { code: 'RU-KRS', name: 'Kursk Oblast', nameLocal: 'Курская область' } });

      const created = await env.store.saveExtraction(post, [r0, r1], 'x@1');
      expect(created.map((c) => [c.type, c.record.id])).toEqual([
        ['incident.created', `${post.id}#0`],
        ['incident.created', `${post.id}#1`],
      ]);
      expect(created[0]!.eventId).toBe(eventId(r0.id, 'incident.created', recordHash(r0), 1, 'x@1'));

      // the same job again (a retry after a crash): nothing changes, no second event
      expect(await env.store.saveExtraction(post, [r0, r1], 'x@1')).toEqual([]);
      expect(await count(env.store, 'select count(*) as n from events where record_id like $1', ['diff_test/%'])).toBe(2);

      // an edit: #0 changes its count, #1 disappears
      const edit: Post = { ...post, text: 'v2', editDate: '2025-10-14T07:00:00.000Z' };
      const changes = await env.store.saveExtraction(edit, [makeRecord(edit, 0, { count: 4 })], 'x@1');
      expect(changes.map((c) => [c.type, c.record.id])).toEqual([
        ['incident.updated', `${post.id}#0`],
        ['incident.retracted', `${post.id}#1`],
      ]);
      const active = await env.store.listIncidents({ channel: 'diff_test' });
      expect(active.items.map((r) => [r.id, r.count])).toEqual([[`${post.id}#0`, 4]]);
      const retracted = await env.store.listIncidents({ channel: 'diff_test', status: 'retracted' });
      expect(retracted.items.map((r) => r.id)).toEqual([`${post.id}#1`]);

      // the first version's job retried after the edit: stale, ignored
      expect(await env.store.saveExtraction(post, [r0, r1], 'x@1')).toEqual([]);
      expect((await env.store.listIncidents({ channel: 'diff_test' })).items[0]!.count).toBe(4);

      // a new extractor reading the same thing: refreshed quietly (no event)
      const again = await env.store.saveExtraction(edit, [makeRecord(edit, 0, { count: 4, extractor: 'x@2' })], 'x@2');
      expect(again).toEqual([]);
      expect((await env.store.listIncidents({ channel: 'diff_test' })).items[0]!.extractor).toBe('x@2');
      expect(await count(env.store, 'select count(*) as n from events where record_id like $1', ['diff_test/%'])).toBe(4);
    });

    it('retracts the records of a deleted post, once', async () => {
      const post = makePost({ channel: 'delete_test', messageId: 5, text: 'to be deleted' });
      await env.store.saveExtraction(post, [makeRecord(post, 0)], 'x@1');
      const changes = await env.store.retractPost('delete_test', 5);
      expect(changes.map((c) => c.type)).toEqual(['incident.retracted']);
      expect(await env.store.retractPost('delete_test', 5)).toEqual([]);
      expect(await count(env.store, 'select count(*) as n from posts where channel = $1 and deleted_at is not null', ['delete_test'])).toBe(1);
    });

    it('rejects records that repeat an id', async () => {
      const post = makePost({ channel: 'dup_test' });
      await expect(env.store.saveExtraction(post, [makeRecord(post, 0), makeRecord(post, 0)], 'x@1')).rejects.toThrow(/twice/);
      expect(await count(env.store, 'select count(*) as n from incidents where channel = $1', ['dup_test'])).toBe(0);
    });
  });

  describe('listIncidents', () => {
    beforeAll(async () => {
      for (let i = 1; i <= 12; i++) {
        const post = makePost({ channel: i % 2 ? 'list_odd' : 'list_even', messageId: 500 + i, date: `2025-09-${String(i).padStart(2, '0')}T12:00:00.000Z`, text: `list ${i}` });
        const records = [makeRecord(post, 0, { count: i }), makeRecord(post, 1, { count: null, outcome: 'hit', region: null })];
        await env.store.saveExtraction(post, records, 'x@1');
      }
    });

    it('filters by channel, region, outcome, dates and count', async () => {
      const f = async (filter: Parameters<PipelineEnv['store']['listIncidents']>[0]) => (await env.store.listIncidents({ ...filter, limit: 1000 })).items.filter((r) => r.post.channel.startsWith('list_'));
      expect((await f({ channel: 'list_odd' })).length).toBe(12);
      expect((await f({ outcome: 'hit' })).length).toBe(12);
      expect((await f({ region: 'ru-bry', minCount: 10 })).map((r) => r.count)).toEqual([12, 11, 10]);
      const window = await f({ since: new Date('2025-09-03T00:00:00Z'), until: new Date('2025-09-05T00:00:00Z'), outcome: 'destroyed' });
      expect(window.map((r) => r.count)).toEqual([4, 3]);
    });

    it('pages newest first without gaps or repeats, records of a post in text order', async () => {
      const ids: string[] = [];
      let after: string | undefined;
      let pages = 0;
      do {
        const page = await env.store.listIncidents({ channel: 'list_even', limit: 5, after });
        ids.push(...page.items.map((r) => r.id));
        after = page.next;
        pages++;
      } while (after);
      expect(pages).toBe(3);
      expect(ids).toEqual([12, 10, 8, 6, 4, 2].flatMap((i) => [`list_even/${500 + i}#0`, `list_even/${500 + i}#1`]));
    });

    it('gives records in the contract field order', async () => {
      const [r] = (await env.store.listIncidents({ channel: 'list_odd', limit: 1 })).items;
      expect(Object.keys(r!).slice(0, 4)).toEqual(['id', 'post', 'region', 'places']);
      expect(Object.keys(r!.post)).toEqual(['id', 'channel', 'messageId', 'date', 'url']);
    });
  });

  describe('group commit (SaveBatcher)', () => {
    it('saves concurrent jobs together, and a save the server refuses fails alone', async () => {
      let statements = 0;
      const db = { ...env.store.db, query: (text: string, params?: unknown[], name?: string) => (statements++, env.store.db.query(text, params, name)) } as typeof env.store.db;
      const batcher = new SaveBatcher(db, 64, 1);
      const posts = Array.from({ length: 20 }, (_, i) => makePost({ channel: 'batch_test', messageId: i + 1, text: `batch ${i}` }));
      // post 7's record cannot be stored (a count that is not an integer): the server refuses the batch
      const results = await Promise.allSettled(
        posts.map((post, i) => batcher.save({ post, records: [makeRecord(post, 0, { count: i === 7 ? 2.5 : i })], extractor: 'x@1' })),
      );
      expect(results.map((r) => r.status)).toEqual(posts.map((_, i) => (i === 7 ? 'rejected' : 'fulfilled')));
      expect(String((results[7] as PromiseRejectedResult).reason)).toMatch(/integer/);
      // first save alone, the other 19 in one statement that failed, then one at a time
      expect(statements).toBe(1 + 1 + 19);
      expect(await count(env.store, 'select count(*) as n from incidents where channel = $1', ['batch_test'])).toBe(19);
      expect(await count(env.store, 'select count(*) as n from posts where channel = $1', ['batch_test'])).toBe(19);

      statements = 0;
      const more = posts.map((p) => ({ ...p, messageId: p.messageId + 100, id: `batch_test/${p.messageId + 100}` }));
      await Promise.all(more.map((post) => batcher.save({ post, records: [makeRecord(post, 0)], extractor: 'x@1' })));
      expect(statements).toBe(2);
    });

    it('keeps two versions of one post out of the same batch', async () => {
      const batcher = new SaveBatcher(env.store.db, 64, 1);
      const post = makePost({ channel: 'batch_versions', messageId: 1, text: 'one' });
      const edit = { ...post, text: 'two', editDate: '2025-10-14T05:00:00.000Z' };
      const filler = makePost({ channel: 'batch_versions', messageId: 2, text: 'filler' });
      const [a, b, c] = await Promise.all([
        batcher.save({ post: filler, records: [], extractor: 'x@1' }),
        batcher.save({ post, records: [makeRecord(post, 0, { count: 1 })], extractor: 'x@1' }),
        batcher.save({ post: edit, records: [makeRecord(edit, 0, { count: 2 })], extractor: 'x@1' }),
      ]);
      expect([a.version, b.version, c.version]).toEqual([1, 1, 2]);
      expect(c.changes.map((ch) => ch.type)).toEqual(['incident.updated']);
    });

    // PGlite has one connection: a second writer cannot wait on an open transaction there.
    it.skipIf(kind === 'embedded')('retries at once a save that raced an uncommitted archive of the same post', async () => {
      const raced = makePost({ channel: 'batch_race', messageId: 1, text: 'raced' });
      const control = makePost({ channel: 'batch_race', messageId: 2, text: 'control' });
      const withRetry = new SaveBatcher(env.store.db, 64, 1);
      const withoutRetry = new SaveBatcher(env.store.db, 64, 1, []);
      let saves: Array<Promise<unknown>> = [];
      // the listener archives both posts and queues them in one transaction; the worker starts early
      await env.store.db.transaction(async (tx) => {
        await archivePosts(tx, [raced, control]);
        saves = [
          withRetry.save({ post: raced, records: [makeRecord(raced, 0)], extractor: 'x@1' }),
          withoutRetry.save({ post: control, records: [makeRecord(control, 0)], extractor: 'x@1' }).catch((err: unknown) => err),
        ];
        // both inserts now wait on the uncommitted rows
        await new Promise((resolve) => setTimeout(resolve, 300));
      });
      const [result, controlError] = await Promise.all(saves);
      // without the retry the job would fail and wait out BullMQ's back-off: the race is real
      expect(controlError).toBeInstanceOf(ArchiveConflictError);
      expect(result).toMatchObject({ version: 1, stale: false });
      expect((result as { changes: Array<{ type: string }> }).changes.map((c) => c.type)).toEqual(['incident.created']);
      expect(await count(env.store, 'select count(*) as n from posts where channel = $1', ['batch_race'])).toBe(2);
      expect(await count(env.store, 'select count(*) as n from incidents where channel = $1', ['batch_race'])).toBe(1);
      expect(await count(env.store, 'select count(*) as n from events where record_id like $1', ['batch_race/%'])).toBe(1);
    });
  });

  describe('failures and events', () => {
    it('records a failure once per job, lists and resolves it', async () => {
      await env.store.recordFailure({ jobId: 'job-1', postId: 'c/1', payload: { x: 'y'.repeat(100_000) }, reason: 'bad', attempts: 1 });
      await env.store.recordFailure({ jobId: 'job-1', postId: 'c/1', payload: { x: 1 }, reason: 'still bad', attempts: 2 });
      const failures = (await env.store.listFailures()).filter((f) => f.jobId === 'job-1');
      expect(failures).toEqual([expect.objectContaining({ jobId: 'job-1', reason: 'still bad', attempts: 2, resolvedAt: null })]);
      expect(await env.store.resolveFailure('job-1')).toBe(true);
      expect((await env.store.listFailures()).some((f) => f.jobId === 'job-1')).toBe(false);
    });

    it('keeps events in order until published', async () => {
      const pending = await env.store.unpublishedEvents(1000);
      expect(pending.length).toBeGreaterThan(0);
      expect(pending.map((e) => e.seq)).toEqual([...pending.map((e) => e.seq)].sort((a, b) => a - b));
      expect(await env.store.markPublished(pending.map((e) => e.id))).toBe(pending.length);
      expect(await env.store.unpublishedEvents()).toEqual([]);
      const stats = await env.store.stats();
      expect(stats).toMatchObject({ kind, events: { unpublished: 0 } });
      expect(stats.bytes).toBeGreaterThan(0);
    });
  });
});
