/**
 * The pipeline against the real Redis and PostgreSQL: post → posts queue → extract worker → store,
 * and the service around it (file listener, HTTP API, the embedded store's single-process rule).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { postJobId } from '../../src/domain/ids.js';
import type { Post } from '../../src/domain/post.js';
import { createExtractWorker, type ExtractWorker } from '../../src/queue/extract-worker.js';
import { enqueuePosts } from '../../src/queue/queues.js';
import { startService, type RunningService } from '../../src/service.js';
import { claimEmbeddedStore, readServiceInfo, StoreInUseError } from '../../src/store/index.js';
import { FAKE_EXTRACTOR, fakeExtract } from '../helpers/fake-extractor.js';
import { count, createPipelineEnv, makePost, waitFor, waitForFinished, type PipelineEnv } from '../helpers/pipeline-env.js';

/** Opening a store (PGlite especially) and cleaning up take long on a loaded machine. */
const HOOK_TIMEOUT_MS = 90_000;

describe('extract worker', () => {
  let env: PipelineEnv;
  let worker: ExtractWorker | undefined;
  beforeAll(async () => {
    env = await createPipelineEnv();
  }, HOOK_TIMEOUT_MS);
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
  });
  afterAll(async () => {
    await env?.cleanup();
  }, HOOK_TIMEOUT_MS);

  const startWorker = async (options: { fake?: boolean } = {}) => {
    worker = createExtractWorker({
      connection: env.workerConnection(),
      prefix: env.prefix,
      store: env.store,
      logger: env.logger,
      concurrency: 4,
      graceMs: 2_000,
      ...(options.fake ? { extract: fakeExtract, extractorVersion: FAKE_EXTRACTOR } : {}),
    });
    await worker.start();
  };

  it('takes a post through to a stored record', async () => {
    await startWorker();
    const post = makePost({ channel: 'AVBogomaz', messageId: 77001, text: 'Над Брянской областью уничтожены 3 беспилотника.', channelRegion: 'RU-BRY' });
    await enqueuePosts(env.queues.posts, [post]);
    await waitForFinished(env.queues, 1);

    const job = await env.queues.posts.getJob(postJobId(post));
    expect(await job!.getState(), job!.failedReason).toBe('completed');
    const { items } = await env.store.listIncidents({ channel: 'AVBogomaz' });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      id: `${post.id}#0`,
      post: { id: post.id, channel: 'AVBogomaz', messageId: 77001, url: 'https://t.me/AVBogomaz/77001' },
      region: { code: 'RU-BRY' },
      count: 3,
      outcome: 'destroyed',
    });
    // the post version is archived and one change event waits in the outbox
    expect(await count(env.store, 'select count(*) as n from posts where post_id = $1', [post.id])).toBe(1);
    expect(await count(env.store, `select count(*) as n from events where record_id = $1 and type = 'incident.created'`, [`${post.id}#0`])).toBe(1);
  });

  it('makes one record of the same post queued twice, also after the first job is gone', async () => {
    await startWorker({ fake: true });
    const post = makePost({ channel: 'twice_test', text: '4 drones over Kursk' });
    await enqueuePosts(env.queues.posts, [post]);
    await enqueuePosts(env.queues.posts, [post]); // deduplicated by job id while retained
    await waitFor(async () => (await env.queues.posts.getJob(postJobId(post)))?.finishedOn, 'the first job');

    // retention trimmed the job (or another store run did it): queued again, processed again
    await env.queues.posts.remove(postJobId(post));
    await enqueuePosts(env.queues.posts, [post]);
    await waitFor(async () => (await env.queues.posts.getJob(postJobId(post)))?.finishedOn, 'the second job');

    expect(await count(env.store, 'select count(*) as n from incidents where channel = $1', ['twice_test'])).toBe(1);
    expect(await count(env.store, 'select count(*) as n from events where record_id like $1', ['twice_test/%'])).toBe(1);
    expect(await count(env.store, 'select count(*) as n from posts where channel = $1', ['twice_test'])).toBe(1);
  });

  it('applies an edit as a new version: changed records updated, dropped ones retracted', async () => {
    await startWorker({ fake: true });
    const post = makePost({ channel: 'edit_test', text: '3 drones over Bryansk\n2 drones over Kursk' });
    await enqueuePosts(env.queues.posts, [post]);
    await waitFor(async () => (await env.queues.posts.getJob(postJobId(post)))?.finishedOn, 'the original');
    const edit: Post = { ...post, editDate: '2025-10-14T05:00:00.000Z', text: '5 drones over Bryansk' };
    await enqueuePosts(env.queues.posts, [edit]);
    await waitFor(async () => (await env.queues.posts.getJob(postJobId(edit)))?.finishedOn, 'the edit');

    const events = await env.store.db.query<{ type: string; record_id: string }>(
      'select type, record_id from events where record_id like $1 order by seq',
      ['edit_test/%'],
    );
    expect(events.map((e) => `${e.type} ${e.record_id}`)).toEqual([
      `incident.created ${post.id}#0`,
      `incident.created ${post.id}#1`,
      `incident.updated ${post.id}#0`,
      `incident.retracted ${post.id}#1`,
    ]);
    const { items } = await env.store.listIncidents({ channel: 'edit_test' });
    expect(items.map((r) => [r.id, r.count])).toEqual([[`${post.id}#0`, 5]]);
    expect(await count(env.store, 'select max(version) as n from posts where channel = $1', ['edit_test'])).toBe(2);
  });
});

function writePosts(posts: unknown[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'dw-posts-')), 'posts.jsonl');
  writeFileSync(path, `${posts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join('\n')}\n`);
  return path;
}

describe.each(['postgres', 'embedded'] as const)('service on %s', (kind) => {
  let env: PipelineEnv;
  let service: RunningService | undefined;
  beforeAll(async () => {
    env = await createPipelineEnv({ kind });
    // The service opens its own store; in embedded mode only one process (and one handle) may.
    if (kind === 'embedded') await env.closeStore();
  }, HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await service?.stop();
    await env?.cleanup();
  }, HOOK_TIMEOUT_MS);

  it('reads a posts file, extracts, and answers over HTTP', async () => {
    const posts: Post[] = [
      makePost({ channel: 'file_test', messageId: 1, date: '2025-10-14T01:00:00Z', text: '3 drones over Bryansk' }),
      makePost({ channel: 'file_test', messageId: 2, date: '2025-10-14T02:00:00Z', text: 'nothing to see here' }),
      makePost({ channel: 'file_test', messageId: 3, date: '2025-10-14T03:00:00Z', text: '7 drones over Kursk\n1 drone over Oryol' }),
    ];
    const path = writePosts([...posts, '{"channel": "file_test", "messageId": "four"}']);
    const config = { ...env.config, TELEGRAM_SOURCE: 'file' as const, SOURCE_FILE: path };
    service = await startService({
      config,
      logger: env.logger,
      roles: ['listener', 'extract', 'http'],
      handleSignals: false,
      extractOptions: { extract: fakeExtract, extractorVersion: FAKE_EXTRACTOR },
    });
    const report = await service.listenerDone;
    expect(report).toEqual({ posts: 3, queued: 3, known: 0, invalid: 1 });
    await waitFor(() => service!.isIdle(), 'the queue to drain');

    const base = `http://127.0.0.1:${service.httpPort}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(await ready.json()).toEqual({ ok: true, checks: { store: 'ok', redis: 'ok' } });

    const page = (await (await fetch(`${base}/incidents?channel=file_test&limit=2`)).json()) as { items: Array<{ id: string }>; next?: string };
    expect(page.items.map((r) => r.id)).toEqual(['file_test/3#0', 'file_test/3#1']);
    const rest = (await (await fetch(`${base}/incidents?channel=file_test&after=${page.next}`)).json()) as { items: Array<{ id: string }>; next?: string };
    expect(rest.items.map((r) => r.id)).toEqual(['file_test/1#0']);
    expect(rest.next).toBeUndefined();

    const bad = await fetch(`${base}/incidents?region=nowhere&minCount=-1`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { problems: string[] }).problems).toHaveLength(2);

    const status = (await (await fetch(`${base}/status`)).json()) as {
      store: { kind: string; incidents: { active: number } };
      queues: Array<{ name: string; counts: Record<string, number> }>;
      failedPosts: Array<{ reason: string }>;
    };
    expect(status.store).toMatchObject({ kind, incidents: { active: 3 } });
    expect(status.queues.find((q) => q.name === 'posts')!.counts.completed).toBe(3);
    expect(status.failedPosts.map((f) => f.reason)).toEqual([expect.stringMatching(/:4: messageId: expected a positive integer/)]);

    if (kind === 'embedded') {
      // The embedded store admits one process: the service holds it and says where to ask.
      expect(readServiceInfo(env.config.DATA_DIR)).toBeNull(); // its own pid does not count as another holder
      const info = JSON.parse((await import('node:fs')).readFileSync(join(env.config.DATA_DIR, 'service.json'), 'utf8')) as { pid: number; httpPort: number };
      expect(info).toMatchObject({ pid: process.pid, httpPort: service.httpPort });
    }

    // a restart reads the same file and queues nothing new
    await service.stop();
    service = await startService({
      config,
      logger: env.logger,
      roles: ['listener', 'extract'],
      handleSignals: false,
      extractOptions: { extract: fakeExtract, extractorVersion: FAKE_EXTRACTOR },
    });
    expect(await service.listenerDone).toEqual({ posts: 3, queued: 0, known: 3, invalid: 1 });
    await service.stop();
    service = undefined;
  });

  it.runIf(kind === 'embedded')('refuses a second holder of the embedded store with a clear message', async () => {
    const { spawnSync } = await import('node:child_process');
    // Another live process (a sleeping child) holds the store: claiming it names that process.
    const sleeper = (await import('node:child_process')).spawn('sleep', ['30']);
    try {
      writeFileSync(join(env.config.DATA_DIR, 'service.json'), JSON.stringify({ pid: sleeper.pid, httpPort: 12345, roles: ['listener', 'extract'], startedAt: 'x' }));
      expect(() => claimEmbeddedStore(env.config.DATA_DIR, { httpPort: null, roles: ['cli'] })).toThrow(StoreInUseError);
      expect(() => claimEmbeddedStore(env.config.DATA_DIR, { httpPort: null, roles: ['cli'] })).toThrow(/in use by the dronewire service \(pid \d+/);
      await expect(startService({ config: env.config, logger: env.logger, roles: ['extract'], handleSignals: false })).rejects.toThrow(/set DATABASE_URL/);
    } finally {
      sleeper.kill('SIGKILL');
      spawnSync('true');
    }
    // the holder is gone: its stale file no longer blocks anyone
    await waitFor(async () => readServiceInfo(env.config.DATA_DIR) === null, 'the sleeper to exit');
    const info = claimEmbeddedStore(env.config.DATA_DIR, { httpPort: null, roles: ['cli'] });
    expect(info.pid).toBe(process.pid);
    (await import('../../src/store/index.js')).releaseEmbeddedStore(env.config.DATA_DIR);
  });
});
