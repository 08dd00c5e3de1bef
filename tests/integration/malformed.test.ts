/**
 * Malformed posts end in the failed set (BullMQ failed + a failed_posts row) with a reason that
 * says what is wrong, at once (no retries), and the worker goes on with the others.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExtractWorker, type ExtractWorker } from '../../src/queue/extract-worker.js';
import { enqueuePosts } from '../../src/queue/queues.js';
import { MAX_FAILURE_PAYLOAD } from '../../src/store/failures.js';
import { FAKE_EXTRACTOR, fakeExtract } from '../helpers/fake-extractor.js';
import { count, createPipelineEnv, makePost, waitForFinished, type PipelineEnv } from '../helpers/pipeline-env.js';

const TWO_MB = 'Б'.repeat(2 * 1024 * 1024);

const malformed: Array<{ name: string; data: unknown; reason: RegExp }> = [
  { name: 'no-text', data: { kind: 'post', post: { channel: 'bad_channel', messageId: 1, date: '2025-10-14T04:00:00Z' } }, reason: /^invalid post: text: expected a string$/ },
  {
    name: 'wrong-types',
    data: { kind: 'post', post: { channel: 42, messageId: '7', date: 'yesterday', text: ['a'], lang: 'de' } },
    reason: /channel: expected a Telegram username.*messageId: expected a positive integer.*date: expected an ISO 8601 date.*text: expected a string.*lang: expected ru, uk or en/,
  },
  { name: 'two-mb', data: { kind: 'post', post: { channel: 'bad_channel', messageId: 3, date: '2025-10-14T04:00:00Z', text: TWO_MB } }, reason: /text: 2097152 characters, more than the 1000000 allowed/ },
  { name: 'not-a-post-job', data: { kind: 'poll', channel: 'x' }, reason: /job data: expected kind "post", got "poll"/ },
  { name: 'null-post', data: { kind: 'post', post: null }, reason: /invalid post: post is not a JSON object/ },
];

/** Opening a store (PGlite especially) and cleaning up take long on a loaded machine. */
const HOOK_TIMEOUT_MS = 90_000;

describe('malformed posts', () => {
  let env: PipelineEnv;
  let worker: ExtractWorker;
  beforeAll(async () => {
    env = await createPipelineEnv();
    worker = createExtractWorker({
      connection: env.workerConnection(),
      prefix: env.prefix,
      store: env.store,
      logger: env.logger,
      concurrency: 2,
      extract: fakeExtract,
      extractorVersion: FAKE_EXTRACTOR,
    });
    await worker.start();
  }, HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await worker?.stop();
    await env?.cleanup();
  }, HOOK_TIMEOUT_MS);

  it('fails each at once with a clear reason, and the good posts around them go through', async () => {
    const before = makePost({ channel: 'good_channel', messageId: 1, text: '2 drones over Bryansk' });
    const after = makePost({ channel: 'good_channel', messageId: 2, text: '5 drones over Kursk' });
    await enqueuePosts(env.queues.posts, [before]);
    // Malformed data reaches the queue from outside the typed producer (another tool, an old version).
    for (const m of malformed) await env.queues.posts.add('post', m.data as never, { jobId: `bad-${m.name}` });
    await enqueuePosts(env.queues.posts, [after]);

    const counts = await waitForFinished(env.queues, malformed.length + 2, 30_000);
    expect(counts).toMatchObject({ completed: 2, failed: malformed.length });

    const failures = await env.store.listFailures({ limit: 100 });
    for (const m of malformed) {
      const job = await env.queues.posts.getJob(`bad-${m.name}`);
      expect(await job!.getState()).toBe('failed');
      expect(job!.failedReason).toMatch(m.reason);
      expect(job!.attemptsMade, `${m.name} is not retried`).toBe(1);
      const row = failures.find((f) => f.jobId === `bad-${m.name}`);
      expect(row, `failed_posts row of ${m.name}`).toBeDefined();
      expect(row!.reason).toMatch(m.reason);
      expect(row!.payload.length).toBeLessThanOrEqual(MAX_FAILURE_PAYLOAD + 100);
    }
    expect(failures.find((f) => f.jobId === 'bad-no-text')!.postId).toBe('bad_channel/1');

    // nothing of the malformed posts was stored; the good ones were
    expect(await count(env.store, 'select count(*) as n from posts where channel = $1', ['bad_channel'])).toBe(0);
    expect((await env.store.listIncidents({ channel: 'good_channel' })).items.map((r) => r.count).sort()).toEqual([2, 5]);
  });

  it('fails a post the extractor throws on, with the extractor error, without retries', async () => {
    const throwing = createExtractWorker({
      connection: env.workerConnection(),
      prefix: env.prefix,
      store: env.store,
      logger: env.logger,
      concurrency: 1,
      extract: (post) => {
        if (post.text.includes('boom')) throw new Error('cannot read this post');
        return fakeExtract(post);
      },
      extractorVersion: FAKE_EXTRACTOR,
    });
    await worker.stop();
    await throwing.start();
    try {
      const post = makePost({ channel: 'boom_channel', text: 'boom' });
      await enqueuePosts(env.queues.posts, [post]);
      const counts = await waitForFinished(env.queues, malformed.length + 3, 30_000);
      expect(counts.failed).toBe(malformed.length + 1);
      const row = (await env.store.listFailures()).find((f) => f.postId === post.id);
      expect(row).toMatchObject({ reason: 'extractor failed: cannot read this post', attempts: 1 });
    } finally {
      await throwing.stop();
    }
  });
});
