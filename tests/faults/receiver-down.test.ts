/**
 * Fault 4: the webhook receiver is down (its port closed, connections reset) while records are
 * created and then updated. Once it is back every delivery completes, each event once, and for each
 * subscriber a record's `incident.created` arrives before its `incident.updated`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Post } from '../../src/domain/post.js';
import { checkDeliveries, createFaultEnv, describeState, makeReportPosts, outboxEvents, postCounts, SHORT, sleep, waitUntil, type FaultEnv } from './support/env.js';

const POSTS = SHORT ? 100 : 300;
const DOWN_MS = SHORT ? 8_000 : 60_000;
const SUBSCRIBERS = ['alpha', 'beta'];

/** A new version of a post whose counts differ: its records are updated, not created. */
function edited(post: Post): Post {
  return { ...post, editDate: '2026-11-20T12:00:00.000Z', text: post.text.replace(/\d+/g, (n) => String(Number(n) + 1)) };
}

describe('fault: webhook receiver down', () => {
  let env: FaultEnv;
  beforeAll(async () => {
    env = await createFaultEnv({ subscribers: SUBSCRIBERS });
  });
  afterAll(async () => {
    await env?.cleanup();
  });

  it(`delivers everything in order per subscriber after ${DOWN_MS / 1000} s down`, async () => {
    // Full run: the production back-off (5 s doubling) and ordering delay; short run: faster ones.
    const timings: Record<string, string> = SHORT ? {} : { FAULT_WEBHOOK_BASE_MS: '', FAULT_WEBHOOK_CAP_MS: '', FAULT_ORDERING_DELAY_MS: '' };
    const child = await env.startChild('service', 'extract,alerts', timings);
    const receiver = env.receiver!;
    await receiver.down();
    const downAt = Date.now();

    const posts = makeReportPosts(POSTS, 'fault_hook');
    await env.enqueue(posts);
    await waitUntil(async () => (await postCounts(env.queues)).completed === POSTS, 60_000, 'originals extracted', 250, () => describeState(env));
    const edits = posts.filter((_, i) => i % 2 === 0).map(edited);
    await env.enqueue(edits);
    await waitUntil(async () => (await postCounts(env.queues)).completed === POSTS + edits.length, 60_000, 'edits extracted', 250, () => describeState(env));
    const events = await outboxEvents(env.db);
    const updates = [...events.values()].filter((e) => e.type === 'incident.updated').length;
    expect(updates).toBeGreaterThan(0);

    await sleep(Math.max(0, DOWN_MS - (Date.now() - downAt)));
    const requestsWhileDown = receiver.requests();
    await receiver.up();
    const upAt = Date.now();
    expect(requestsWhileDown).toBe(0);

    for (const s of SUBSCRIBERS) {
      await waitUntil(async () => checkDeliveries(receiver, s, events).undelivered.length === 0, SHORT ? 60_000 : 240_000, `every event delivered to ${s}`, 500, async () => ({
        ...(checkDeliveries(receiver, s, events) as object),
        undelivered: checkDeliveries(receiver, s, events).undelivered.length,
        alerts: await env.queues.alerts.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed'),
      }));
    }
    const deliveredMs = Date.now() - upAt;

    for (const s of SUBSCRIBERS) {
      const check = checkDeliveries(receiver, s, events);
      expect(check.doubled).toEqual([]);
      expect(check.unknown).toEqual([]);
      expect(check.accepted).toBe(events.size);
      // created before updated, record by record.
      const order = new Map<string, { created?: number; updated?: number }>();
      for (const e of receiver.accepted(s)) {
        const o = order.get(e.recordId) ?? {};
        if (e.type === 'incident.created') o.created = e.order;
        if (e.type === 'incident.updated') o.updated = e.order;
        order.set(e.recordId, o);
      }
      const outOfOrder = [...order.entries()].filter(([, o]) => o.updated !== undefined && (o.created === undefined || o.created > o.updated)).map(([id]) => id);
      expect(outOfOrder).toEqual([]);
    }
    expect(receiver.rejected()).toEqual([]);
    const failedDeliveries = await env.queues.alerts.getJobCounts('failed');
    expect(failedDeliveries.failed).toBe(0);
    expect(child.hasExited()).toBe(false);

    console.info(
      `[faults] receiver-down: ${POSTS} posts + ${edits.length} edits → ${events.size} events (${updates} updates) × ${SUBSCRIBERS.length} subscribers; ` +
        `down ${upAt - downAt} ms, all delivered ${deliveredMs} ms after it was back, ${receiver.deliveries()} deliveries accepted; order kept`,
    );
  }, 600_000);
});
