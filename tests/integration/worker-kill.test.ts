/**
 * A worker process SIGKILLed in the middle of jobs (some before their transaction, some after it
 * but before BullMQ marked them complete) loses nothing and doubles nothing once another worker
 * has recovered the stalled jobs and finished.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExtractWorker, type ExtractWorker } from '../../src/queue/extract-worker.js';
import { enqueuePosts } from '../../src/queue/queues.js';
import { FAKE_EXTRACTOR, fakeExtract } from '../helpers/fake-extractor.js';
import { count, createPipelineEnv, makePost, waitFor, waitForFinished, type PipelineEnv } from '../helpers/pipeline-env.js';
import { spawnWorker, type WorkerProcess } from '../helpers/worker-process.js';

const POSTS = 40;
const LOCK_MS = 2_000;

/** Opening a store (PGlite especially) and cleaning up take long on a loaded machine. */
const HOOK_TIMEOUT_MS = 90_000;

describe('a worker killed in the middle of jobs', () => {
  let env: PipelineEnv;
  let child: WorkerProcess | undefined;
  let rescuer: ExtractWorker | undefined;
  beforeAll(async () => {
    env = await createPipelineEnv();
  }, HOOK_TIMEOUT_MS);
  afterAll(async () => {
    child?.child.kill('SIGKILL');
    await rescuer?.stop();
    await env?.cleanup();
  }, HOOK_TIMEOUT_MS);

  it('leaves nothing lost or doubled once another worker finishes', { timeout: 90_000 }, async () => {
    child = spawnWorker('tests/helpers/extract-worker-child.ts', {
      ...env.env,
      WORKER_CONCURRENCY: '4',
      DW_TEST_JOB_DELAY_MS: '150',
      DW_TEST_LOCK_MS: String(LOCK_MS),
    });
    await child.waitForLine(/^ready$/, 30_000);

    // each post gives 1–3 records, so a doubled job would show as extra rows or events
    const posts = Array.from({ length: POSTS }, (_, i) =>
      makePost({ channel: 'kill_test', messageId: i + 1, text: Array.from({ length: (i % 3) + 1 }, (_, k) => `${i + k + 1} drones over Kursk`).join('\n') }),
    );
    const expectedRecords = posts.reduce((n, p) => n + fakeExtract(p).length, 0);
    await enqueuePosts(env.queues.posts, posts);

    // kill once some jobs have committed and others are in flight (started, not yet committed)
    await waitFor(async () => child!.lines.filter((l) => l.startsWith('committed ')).length >= 6, 'six committed jobs', 30_000);
    const started = new Set(child.lines.filter((l) => l.startsWith('start ')).map((l) => l.slice(6)));
    child.child.kill('SIGKILL');
    const exit = await child.exited;
    expect(exit.signal).toBe('SIGKILL');
    // the worker process itself is gone (no wrapper process in between kept it alive)
    expect(() => process.kill(child!.child.pid!, 0)).toThrow();
    const linesAtDeath = child.lines.length;
    const committed = new Set(child.lines.filter((l) => l.startsWith('committed ')).map((l) => l.slice(10)));
    // jobs the dead worker held: still "active" in Redis, locked by nobody; some died before their
    // transaction, some after it (stored, but never marked complete)
    const held = (await env.queues.posts.getActive()).map((j) => j.data.post.id);
    expect(held.length).toBeGreaterThan(0);
    expect(held.every((id) => started.has(id))).toBe(true);
    const diedAfterCommit = held.filter((id) => committed.has(id));
    if (process.env.DW_TEST_VERBOSE) process.stderr.write(`killed: ${held.length} held, ${diedAfterCommit.length} after commit\n`);

    // another worker with a short stalled interval recovers them
    rescuer = createExtractWorker({
      connection: env.workerConnection(),
      prefix: env.prefix,
      store: env.store,
      logger: env.logger,
      concurrency: 4,
      extract: fakeExtract,
      extractorVersion: FAKE_EXTRACTOR,
      lockDuration: LOCK_MS,
      stalledInterval: LOCK_MS / 2,
    });
    await rescuer.start();
    const counts = await waitForFinished(env.queues, POSTS, 45_000);
    expect(counts).toMatchObject({ completed: POSTS, failed: 0 });
    expect(child.lines.length, 'the killed worker did nothing more').toBe(linesAtDeath);

    // nothing lost: every post archived once with all its records; nothing doubled: one event per record
    expect(await count(env.store, 'select count(*) as n from posts where channel = $1', ['kill_test'])).toBe(POSTS);
    expect(await count(env.store, `select count(*) as n from incidents where channel = $1 and status = 'active'`, ['kill_test'])).toBe(expectedRecords);
    expect(await count(env.store, 'select count(*) as n from events where record_id like $1', ['kill_test/%'])).toBe(expectedRecords);
    expect(await count(env.store, `select count(*) as n from events where record_id like $1 and type <> 'incident.created'`, ['kill_test/%'])).toBe(0);
    expect(await count(env.store, 'select count(*) as n from failed_posts')).toBe(0);
  });
});
