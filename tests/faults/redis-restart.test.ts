/**
 * Fault 2: Redis is stopped while workers are busy (the private redis-server this test started, on
 * its own port, AOF on) and started again on the same port and data directory. The workers are not
 * touched: they must reconnect and finish by themselves, with nothing lost and nothing doubled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkDeliveries,
  checkStore,
  createFaultEnv,
  expectedRecords,
  makeReportPosts,
  outboxEvents,
  postCounts,
  SHORT,
  sleep,
  waitUntil,
  type FaultEnv,
} from './support/env.js';

const POSTS = SHORT ? 500 : 2_000;
const DOWN_MS = SHORT ? 5_000 : 20_000;

describe('fault: Redis restarted under load', () => {
  let env: FaultEnv;
  beforeAll(async () => {
    env = await createFaultEnv({ privateRedis: true, subscribers: ['ops'] });
  });
  afterAll(async () => {
    await env?.cleanup();
  });

  it(`finishes ${POSTS} posts after a ${DOWN_MS / 1000} s Redis outage without a worker restart`, async () => {
    const posts = makeReportPosts(POSTS, 'fault_redis');
    const expected = expectedRecords(posts);
    const expectedTotal = [...expected.values()].reduce((n, r) => n + r.length, 0);
    await env.enqueue(posts);

    const t0 = Date.now();
    // Slow enough (2 × 16 jobs per 250 ms) that the outage falls mid-batch even on a loaded machine.
    const workers = [
      await env.startChild('worker-1', 'extract,alerts', { FAULT_EXTRACT_DELAY_MS: '250' }),
      await env.startChild('worker-2', 'extract,alerts', { FAULT_EXTRACT_DELAY_MS: '250' }),
    ];
    const storedPosts = async () => Number((await env.db.query<{ n: string }>('select count(distinct post_id) as n from incidents'))[0]!.n);
    await waitUntil(async () => (await storedPosts()) >= POSTS / 5, 60_000, 'a fifth of the batch stored', 50);

    const redisPidBefore = env.redis!.pid();
    await env.redis!.stop('SIGTERM');
    const downAt = Date.now();
    const atStop = await storedPosts();
    expect(atStop).toBeLessThan(POSTS);
    await sleep(DOWN_MS);
    // Workers wait out the outage: nobody exited.
    for (const w of workers) expect(w.hasExited(), `${w.name} exited during the outage`).toBe(false);
    await env.redis!.start();
    expect(env.redis!.pid()).not.toBe(redisPidBefore);
    const upAt = Date.now();

    await waitUntil(async () => {
      const c = await postCounts(env.queues);
      return c.completed + c.failed === POSTS && c.active === 0 && c.waiting === 0 && c.delayed === 0;
    }, 180_000, 'every job finished after the restart');
    const doneMs = Date.now() - upAt;
    for (const w of workers) expect(w.hasExited(), `${w.name} exited`).toBe(false);

    const counts = await postCounts(env.queues);
    expect(counts.failed).toBe(0);
    expect(counts.completed).toBe(POSTS);
    const store = await checkStore(env.db, expected);
    expect(store.missing).toEqual([]);
    expect(store.unexpected).toEqual([]);
    expect(store.createdTwice).toEqual([]);
    // Work went on after the restart (the workers resumed, not just their queued commands).
    expect(await storedPosts()).toBe(POSTS);

    await waitUntil(async () => Number((await env.db.query<{ n: string }>('select count(*) as n from events where published_at is null'))[0]!.n) === 0, 60_000, 'outbox published');
    const publishedMs = Date.now() - upAt;
    const events = await outboxEvents(env.db);
    await waitUntil(async () => checkDeliveries(env.receiver!, 'ops', events).undelivered.length === 0, 90_000, 'every event delivered');
    const deliveries = checkDeliveries(env.receiver!, 'ops', events);
    expect(deliveries.doubled).toEqual([]);
    expect(deliveries.unknown).toEqual([]);
    expect(deliveries.accepted).toBe(expectedTotal);

    // Both workers logged a Redis error and carried on (they saw the outage).
    for (const w of workers) expect(w.logs().some((l) => /Redis|ECONNREFUSED|Connection is closed/i.test(JSON.stringify(l)))).toBe(true);
    console.info(
      `[faults] redis-restart: ${POSTS} posts, workers up and stopped after ${downAt - t0} ms with ${atStop} stored, down ${upAt - downAt} ms; ` +
        `after Redis was back: jobs done in ${doneMs} ms, outbox published in ${publishedMs} ms, all delivered in ${Date.now() - upAt} ms; ` +
        `${expectedTotal} records, ${env.receiver!.deliveries()} deliveries`,
    );
  }, 400_000);
});
