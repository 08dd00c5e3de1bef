/**
 * Webhook delivery against a real local HTTP receiver that verifies Standard Webhooks signatures:
 * signed deliveries, a tampered body refused, retries with the same webhook-id until a 2xx, order
 * of created/updated per record, filters, and the failed set.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAlerter, type Alerter } from '../../src/alerts/index.js';
import { sign } from '../../src/alerts/signing.js';
import { parseSubscribers, type Subscriber } from '../../src/alerts/subscribers.js';
import { loadConfig } from '../../src/config.js';
import { replay } from '../../src/replay.js';
import { createAlertsEnv, makePost, makeRecord, REDIS_URL, TEST_SECRET, waitFor, type AlertsEnv } from '../helpers/alerts-env.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';

let env: AlertsEnv;
let alerter: Alerter | undefined;
const receivers: WebhookReceiver[] = [];

beforeEach(async () => {
  env = await createAlertsEnv();
});

afterEach(async () => {
  await alerter?.stop();
  alerter = undefined;
  for (const r of receivers.splice(0)) await r.close();
  await env.cleanup();
});

async function receiver(options: Parameters<typeof startWebhookReceiver>[0]): Promise<WebhookReceiver> {
  const r = await startWebhookReceiver(options);
  receivers.push(r);
  return r;
}

function startAlerter(subscribers: Subscriber[], extra: Partial<Parameters<typeof createAlerter>[0]> = {}): Alerter {
  const config = loadConfig({ REDIS_URL, QUEUE_PREFIX: env.prefix, WEBHOOK_TIMEOUT_MS: '2000', SHUTDOWN_GRACE_MS: '2000' });
  alerter = createAlerter({
    config,
    logger: env.logger,
    store: env.store,
    queues: env.queues,
    subscribers,
    sweepIntervalMs: 200,
    backoff: { baseMs: 100, capMs: 400 },
    orderingDelayMs: 100,
    ...extra,
  });
  return alerter;
}

function subscriber(name: string, url: string, filters: Subscriber['filters'] = {}): Subscriber {
  return parseSubscribers([{ name, url, secret: TEST_SECRET, filters }])[0]!;
}

describe('webhook delivery', () => {
  it('delivers a signed incident.created that the receiver verifies, and the receiver refuses a tampered body', async () => {
    const hook = await receiver({ secret: TEST_SECRET });
    const a = startAlerter([subscriber('ops', hook.url)]);
    await a.start();
    const post = makePost();
    const record = makeRecord(post, 0, { count: 7 });
    const [change] = await env.store.saveExtraction(post, [record], 'test@1');
    a.onChanges([change]);
    await hook.waitForDelivered(1);

    const [req] = hook.requests;
    expect(req?.verified).toBe(true);
    expect(req?.id).toBe(change?.eventId);
    const body = JSON.parse(req!.rawBody);
    expect(body.type).toBe('incident.created');
    expect(body.data).toEqual(record);
    expect(Number.isNaN(Date.parse(body.timestamp))).toBe(false);

    // The same signature over a body changed by one character must be refused.
    const tampered = req!.rawBody.replace('"count":7', '"count":8');
    expect(tampered).not.toBe(req!.rawBody);
    const res = await fetch(hook.url, {
      method: 'POST',
      headers: { 'webhook-id': req!.id!, 'webhook-timestamp': req!.timestamp!, 'webhook-signature': req!.signature! },
      body: tampered,
    });
    expect(res.status).toBe(400);
    expect(hook.requests.at(-1)?.verifyError).toBe('no matching signature');
    // And a correct signature made with another secret likewise.
    const forged = sign('whsec_' + Buffer.alloc(24, 7).toString('base64'), req!.id!, Number(req!.timestamp), req!.rawBody);
    const res2 = await fetch(hook.url, {
      method: 'POST',
      headers: { 'webhook-id': req!.id!, 'webhook-timestamp': req!.timestamp!, 'webhook-signature': forged },
      body: req!.rawBody,
    });
    expect(res2.status).toBe(400);
  });

  it('retries a receiver that answers 500 three times: delivered exactly once, same webhook-id on every try', async () => {
    const hook = await receiver({ secret: TEST_SECRET, script: [500, 500, 500] });
    const a = startAlerter([subscriber('flaky', hook.url)]);
    await a.start();
    const post = makePost();
    const changes = await env.store.saveExtraction(post, [makeRecord(post, 0)], 'test@1');
    a.onChanges(changes);
    await hook.waitForDelivered(1);
    // Give a wrongly scheduled extra attempt the time to show up.
    await new Promise((r) => setTimeout(r, 600));

    expect(hook.requests.map((r) => r.status)).toEqual([500, 500, 500, 200]);
    expect(hook.requests.every((r) => r.verified)).toBe(true);
    expect(new Set(hook.requests.map((r) => r.id))).toEqual(new Set([changes[0]!.eventId]));
    expect(hook.delivered()).toHaveLength(1);
    // Back-off grows between attempts (100 ms, 200 ms, 400 ms, ±10 %).
    const gaps = hook.requests.slice(1).map((r, i) => r.at - hook.requests[i]!.at);
    expect(gaps[2]!).toBeGreaterThan(gaps[0]!);
    const job = await env.queues.alerts.getJob(`flaky-${changes[0]!.eventId}`);
    expect(await job?.getState()).toBe('completed');
    expect(job?.attemptsMade).toBe(4);
  });

  it('gives up on an attempt after WEBHOOK_TIMEOUT_MS and retries it', async () => {
    const hook = await receiver({ secret: TEST_SECRET, delays: [1_500] });
    const a = startAlerter([subscriber('slow', hook.url)], { config: loadConfig({ REDIS_URL, QUEUE_PREFIX: env.prefix, WEBHOOK_TIMEOUT_MS: '300', SHUTDOWN_GRACE_MS: '2000' }) });
    await a.start();
    const post = makePost();
    const changes = await env.store.saveExtraction(post, [makeRecord(post, 0)], 'test@1');
    const t0 = Date.now();
    a.onChanges(changes);
    // The first request is answered after 1.5 s, too late: the retry (at ~0.4 s) is the delivery.
    await waitFor(async () => (await env.queues.alerts.getJob(`slow-${changes[0]!.eventId}`))?.isCompleted(), 5_000, 'delivered');
    expect(Date.now() - t0).toBeLessThan(1_500);
    expect(hook.requests.map((r) => r.id)).toEqual([changes[0]!.eventId, changes[0]!.eventId]);
    const job = await env.queues.alerts.getJob(`slow-${changes[0]!.eventId}`);
    expect(job?.attemptsMade).toBe(2);
  });

  it('keeps a delivery that runs out of attempts in the failed set, and it can be retried from there', async () => {
    const hook = await receiver({ secret: TEST_SECRET, script: [503, 503, 503] });
    const a = startAlerter([subscriber('down', hook.url)], { deliveryAttempts: 3 });
    await a.start();
    const post = makePost();
    const changes = await env.store.saveExtraction(post, [makeRecord(post, 0)], 'test@1');
    a.onChanges(changes);
    const jobId = `down-${changes[0]!.eventId}`;
    await waitFor(async () => (await env.queues.alerts.getJob(jobId))?.isFailed(), 10_000, 'job failed');
    expect(hook.delivered()).toHaveLength(0);
    expect(await env.queues.alerts.getFailedCount()).toBe(1);

    // `replay --failed-deliveries` (dry run first).
    const deps = { db: env.store.db, posts: env.queues.posts, alerts: env.queues.alerts, extractorVersion: 'test@1' };
    expect((await replay(deps, { failedDeliveries: true }, { dryRun: true })).failedDeliveries).toBe(1);
    expect(await env.queues.alerts.getFailedCount()).toBe(1);
    expect((await replay(deps, { failedDeliveries: true })).failedDeliveries).toBe(1);
    await hook.waitForDelivered(1);
    expect(hook.delivered()[0]?.id).toBe(changes[0]!.eventId);
  });

  it('delivers created before updated of the same record even when the first delivery needs retries', async () => {
    const hook = await receiver({ secret: TEST_SECRET, script: [500, 500] });
    const a = startAlerter([subscriber('ordered', hook.url)]);
    const post = makePost();
    // Both events exist before the publisher runs: they are queued together.
    await env.store.saveExtraction(post, [makeRecord(post, 0, { count: 3 })], 'test@1');
    await env.store.saveExtraction({ ...post, text: `${post.text} (edited)`, editDate: '2026-11-20T11:00:00.000Z' }, [makeRecord(post, 0, { count: 5 })], 'test@1');
    await a.start();
    await hook.waitForDelivered(2);
    expect(hook.delivered().map((d) => [d.body.type, d.body.data.count])).toEqual([
      ['incident.created', 3],
      ['incident.updated', 5],
    ]);
  });

  it('sends each subscriber only the events its filters select; an update reaches who had the old form', async () => {
    const all = await receiver({ secret: TEST_SECRET });
    const bel = await receiver({ secret: TEST_SECRET });
    const big = await receiver({ secret: TEST_SECRET });
    const a = startAlerter([
      subscriber('all', all.url),
      subscriber('bel', bel.url, { regions: ['RU-BEL'], outcomes: ['destroyed'] }),
      subscriber('big', big.url, { minCount: 10, channels: ['other_channel'] }),
    ]);
    await a.start();
    const p1 = makePost();
    const p2 = makePost({ channel: 'other_channel' });
    await env.store.saveExtraction(p1, [makeRecord(p1, 0, { region: 'RU-BEL', count: 2 }), makeRecord(p1, 1, { region: 'RU-KRS', count: 20 })], 'test@1');
    await env.store.saveExtraction(p2, [makeRecord(p2, 0, { region: 'RU-BEL', count: 12, outcome: 'hit' })], 'test@1');
    // p1#0 moves out of RU-BEL: "bel" had it, so it learns of the update.
    await env.store.saveExtraction({ ...p1, text: 'changed' }, [makeRecord(p1, 0, { region: 'RU-VOR', count: 2 }), makeRecord(p1, 1, { region: 'RU-KRS', count: 20 })], 'test@1');
    a.onChanges([1]);
    await all.waitForDelivered(4);
    await bel.waitForDelivered(2);
    await big.waitForDelivered(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(all.delivered()).toHaveLength(4);
    expect(bel.delivered().map((d) => [d.body.type, d.body.data.id])).toEqual([
      ['incident.created', `${p1.id}#0`],
      ['incident.updated', `${p1.id}#0`],
    ]);
    expect(big.delivered().map((d) => d.body.data.id)).toEqual([`${p2.id}#0`]);
  });

  it('does not deliver twice when the same events are published again after a crash', async () => {
    const hook = await receiver({ secret: TEST_SECRET });
    const a = startAlerter([subscriber('once', hook.url)]);
    await a.start();
    const post = makePost();
    await env.store.saveExtraction(post, [makeRecord(post, 0), makeRecord(post, 1, { count: 9 })], 'test@1');
    await a.publisher.publishPending();
    await hook.waitForDelivered(2);
    // Simulate a publisher that crashed before marking the rows published.
    await env.store.db.query('update events set published_at = null');
    expect(await a.publisher.publishPending()).toBe(2);
    await new Promise((r) => setTimeout(r, 500));
    expect(hook.delivered()).toHaveLength(2);
    expect(await env.redis.xlen(`${env.prefix}:incidents`)).toBe(2);
  });
});
