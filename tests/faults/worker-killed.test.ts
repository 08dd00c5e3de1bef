/**
 * Fault 1: an extract worker is SIGKILLed in the middle of a batch; another worker finishes it.
 * Every post ends with exactly its records, no record is created twice, and no webhook event reaches
 * the subscriber as two different events (the receiver de-duplicates by webhook-id and counts
 * distinct events per record and type).
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentStreamKey } from '../../src/alerts/stream.js';
import {
  checkDeliveries,
  checkStore,
  createFaultEnv,
  expectedRecords,
  makeReportPosts,
  outboxEvents,
  postCounts,
  SHORT,
  waitUntil,
  type FaultEnv,
} from './support/env.js';

const POSTS = SHORT ? 500 : 2_000;

describe('fault: a worker killed mid-batch', () => {
  let env: FaultEnv;
  beforeAll(async () => {
    env = await createFaultEnv({ subscribers: ['ops'] });
  });
  afterAll(async () => {
    await env?.cleanup();
  });

  it(`recovers a batch of ${POSTS} posts with nothing lost and nothing doubled`, async () => {
    const posts = makeReportPosts(POSTS, 'fault_kill');
    const expected = expectedRecords(posts);
    const expectedTotal = [...expected.values()].reduce((n, r) => n + r.length, 0);
    await env.enqueue(posts);

    // 40 ms per job keeps 8 jobs active at any moment, so the kill lands on running work, and the
    // batch takes 2.5 s or more: the probe below (every 250 ms) sees the first quarter stored long
    // before the last post is (at 15 ms the store's speed-up left a window of 0.7 s, too short on
    // a loaded machine).
    const first = await env.startChild('worker-a', 'extract,alerts', { FAULT_EXTRACT_DELAY_MS: '40' });
    const storedPosts = async () => Number((await env.db.query<{ n: string }>('select count(distinct post_id) as n from incidents'))[0]!.n);
    await waitUntil(async () => (await storedPosts()) >= POSTS / 4, 60_000, 'a quarter of the batch stored');
    first.signal('SIGKILL');
    const killedAt = Date.now();
    const exit = await first.exited;
    expect(exit.signal).toBe('SIGKILL');

    const atKill = await storedPosts();
    const countsAtKill = await postCounts(env.queues);
    // The kill really was in the middle: part done, jobs left holding locks of a dead worker.
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(POSTS);
    expect(countsAtKill.active).toBeGreaterThan(0);

    await env.startChild('worker-b', 'extract,alerts');
    await waitUntil(async () => {
      const c = await postCounts(env.queues);
      return c.completed + c.failed === POSTS && c.active === 0;
    }, 120_000, 'every job finished');
    const recoveredMs = Date.now() - killedAt;

    const counts = await postCounts(env.queues);
    expect(counts.failed).toBe(0);
    const store = await checkStore(env.db, expected);
    expect(store.missing).toEqual([]);
    expect(store.unexpected).toEqual([]);
    expect(store.createdTwice).toEqual([]);
    expect(store.records).toBe(expectedTotal);

    // Every outbox event published and delivered once as one event.
    await waitUntil(async () => Number((await env.db.query<{ n: string }>('select count(*) as n from events where published_at is null'))[0]!.n) === 0, 60_000, 'outbox published');
    const events = await outboxEvents(env.db);
    expect(events.size).toBe(expectedTotal);
    await waitUntil(async () => checkDeliveries(env.receiver!, 'ops', events).undelivered.length === 0, 60_000, 'every event delivered');
    const deliveries = checkDeliveries(env.receiver!, 'ops', events);
    expect(deliveries.doubled).toEqual([]);
    expect(deliveries.unknown).toEqual([]);
    expect(deliveries.accepted).toBe(expectedTotal);
    expect(env.receiver!.rejected()).toEqual([]);

    // The Redis stream (SSE and stream consumers) holds each event once too.
    const redis = new Redis(env.redisUrl, { maxRetriesPerRequest: 1 });
    const entries = await redis.xrange(incidentStreamKey(env.prefix), '-', '+');
    redis.disconnect();
    const streamIds = entries.map(([, fields]) => fields[fields.indexOf('id') + 1]);
    expect(new Set(streamIds).size).toBe(streamIds.length);
    expect(new Set(streamIds)).toEqual(new Set(events.keys()));

    console.info(
      `[faults] worker-killed: ${POSTS} posts, killed at ${atKill} stored (${countsAtKill.active} active), ` +
        `all done ${recoveredMs} ms after the kill; ${expectedTotal} records, ${env.receiver!.deliveries()} deliveries for ${deliveries.accepted} events, ${streamIds.length} stream entries`,
    );
  }, 300_000);
});
