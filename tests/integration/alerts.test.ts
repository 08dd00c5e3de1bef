/**
 * The alerts role as the service runs it: extraction → outbox → stream + webhook, the sweep that
 * publishes what a crash left behind, and subscriber configuration.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAlerter } from '../../src/alerts/index.js';
import { createOutboxPublisher } from '../../src/alerts/publisher.js';
import { readAfter } from '../../src/alerts/stream.js';
import { loadSubscribers } from '../../src/alerts/subscribers.js';
import { loadConfig } from '../../src/config.js';
import type { Post } from '../../src/domain/post.js';
import { createWorkerConnection } from '../../src/queue/connection.js';
import { createExtractWorker } from '../../src/queue/extract-worker.js';
import { enqueuePosts } from '../../src/queue/queues.js';
import { createAlertsEnv, makePost, makeRecord, REDIS_URL, startTestService, TEST_SECRET, waitFor, type AlertsEnv } from '../helpers/alerts-env.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';

let env: AlertsEnv;
beforeEach(async () => {
  env = await createAlertsEnv();
});
afterEach(async () => {
  await env.cleanup();
});

describe('alerts in the service', () => {
  it('an extracted post reaches the webhook (WEBHOOK_URL) and the stream within moments', async () => {
    const hook = await startWebhookReceiver({ secret: TEST_SECRET });
    const { service } = await startTestService(
      env,
      ['extract', 'alerts'],
      { WEBHOOK_URL: hook.url, WEBHOOK_SECRET: TEST_SECRET },
      { extract: (post: Post) => [makeRecord(post, 0, { count: 11, extractor: 'toy@1' })], extractorVersion: 'toy@1' },
    );
    try {
      const post = makePost();
      const t0 = Date.now();
      await enqueuePosts(env.queues.posts, [post]);
      await hook.waitForDelivered(1, 10_000);
      const latency = Date.now() - t0;
      const [delivery] = hook.delivered();
      expect(delivery?.body).toMatchObject({ type: 'incident.created', data: { id: `${post.id}#0`, count: 11 } });
      const entries = await readAfter(env.redis, env.prefix, '0-0', 10);
      expect(entries.map((e) => e.id)).toEqual([delivery!.id]);
      // Published from the onChanges hook, not by waiting for the 5 s sweep.
      expect(latency).toBeLessThan(3_000);
    } finally {
      await service.stop();
      await hook.close();
    }
  });
});

describe('alerts in another process than extraction', () => {
  it('publishes promptly on the posts queue\'s completion events, without the in-process hook', async () => {
    const hook = await startWebhookReceiver({ secret: TEST_SECRET });
    const config = loadConfig({ REDIS_URL, QUEUE_PREFIX: env.prefix });
    const alerter = createAlerter({
      config,
      logger: env.logger,
      store: env.store,
      queues: env.queues,
      subscribers: loadSubscribers({ WEBHOOK_URL: hook.url, WEBHOOK_SECRET: TEST_SECRET, WEBHOOKS_FILE: undefined }),
      sweepIntervalMs: 60_000,
    });
    await alerter.start();
    // An extract worker with no onChanges hook, as in a `start --role extract` process.
    const connection = createWorkerConnection(REDIS_URL, 'test-extract');
    const worker = createExtractWorker({ connection, prefix: env.prefix, store: env.store, logger: env.logger, concurrency: 2, extract: (p: Post) => [makeRecord(p, 0, { extractor: 'toy@1' })], extractorVersion: 'toy@1' });
    await worker.start();
    try {
      const t0 = Date.now();
      await enqueuePosts(env.queues.posts, [makePost()]);
      await hook.waitForDelivered(1, 5_000);
      expect(Date.now() - t0).toBeLessThan(3_000);
    } finally {
      await worker.stop();
      connection.disconnect();
      await alerter.stop();
      await hook.close();
    }
  });
});

describe('outbox publisher', () => {
  it('the sweep publishes events that nobody announced (a crash after commit)', async () => {
    const config = loadConfig({ REDIS_URL, QUEUE_PREFIX: env.prefix });
    const alerter = createAlerter({ config, logger: env.logger, store: env.store, queues: env.queues, subscribers: [], sweepIntervalMs: 100 });
    const post = makePost();
    await env.store.saveExtraction(post, [makeRecord(post, 0), makeRecord(post, 1)], 'test@1');
    await alerter.start();
    try {
      await waitFor(async () => (await env.redis.xlen(`${env.prefix}:incidents`)) === 2, 5_000, 'sweep');
      const [row] = await env.store.db.query<{ n: number }>('select count(*)::int as n from events where published_at is null');
      expect(row?.n).toBe(0);
    } finally {
      await alerter.stop();
    }
  });

  it('concurrent publish calls publish each event once, in order', async () => {
    const subscribers = loadSubscribers({ WEBHOOK_URL: 'http://127.0.0.1:9/hook', WEBHOOK_SECRET: TEST_SECRET, WEBHOOKS_FILE: undefined });
    const publisher = createOutboxPublisher({ db: env.store.db, redis: env.queues.connection, alertsQueue: env.queues.alerts, prefix: env.prefix, subscribers, logger: env.logger, batchSize: 7 });
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      const post = makePost();
      ids.push(...(await env.store.saveExtraction(post, [makeRecord(post, 0, { count: i })], 'test@1')).map((c) => c.eventId));
    }
    const results = await Promise.all([publisher.publishPending(), publisher.publishPending(), publisher.publishPending()]);
    expect(Math.max(...results)).toBe(30);
    expect((await readAfter(env.redis, env.prefix, '0-0', 100)).map((e) => e.id)).toEqual(ids);
    expect(await env.queues.alerts.count()).toBe(30);
    const job = await env.queues.alerts.getJob(`default-${ids[0]}`);
    expect(job?.data).toMatchObject({ kind: 'webhook', subscriber: 'default', eventId: ids[0] });
    // The secret never goes into job data.
    expect(JSON.stringify(job?.data)).not.toContain(TEST_SECRET.slice(6));
  });
});

describe('subscribers', () => {
  it('reads WEBHOOKS_FILE with filters and reports every problem without echoing secrets', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dw-hooks-'));
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ subscribers: [{ name: 'ops', url: 'https://example.org/h', secret: TEST_SECRET, filters: { regions: ['RU-BEL', 'UA'], minCount: 5 } }] }));
    const list = loadSubscribers({ WEBHOOK_URL: 'https://example.org/one', WEBHOOK_SECRET: TEST_SECRET, WEBHOOKS_FILE: good });
    expect(list.map((s) => s.name)).toEqual(['default', 'ops']);
    expect(list[1]?.filters).toEqual({ regions: ['RU-BEL', 'UA'], minCount: 5 });

    const bad = join(dir, 'bad.json');
    const secret = 'whsec_c2hvcnQ=';
    writeFileSync(bad, JSON.stringify([{ name: 'a:b', url: 'ftp://x', secret, filters: { outcomes: ['exploded'] } }]));
    let message = '';
    try {
      loadSubscribers({ WEBHOOK_URL: undefined, WEBHOOK_SECRET: undefined, WEBHOOKS_FILE: bad });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('0.name');
    expect(message).toContain('0.url');
    expect(message).toContain('0.secret');
    expect(message).toContain('0.filters.outcomes');
    expect(message).not.toContain('c2hvcnQ');
  });
});
