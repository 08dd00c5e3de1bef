/**
 * The HTTP surface beyond health: /metrics in the Prometheus text format, the admin dashboard and
 * replay endpoint behind ADMIN_TOKEN, the incidents API additions, and request limits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenMatches } from '../../src/http/dashboard.js';
import type { RunningService } from '../../src/service.js';
import { createAlertsEnv, makePost, makeRecord, startTestService, type AlertsEnv } from '../helpers/alerts-env.js';

const ADMIN_TOKEN = 'test-admin-token-0123456789';

/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4): every line is a HELP or
 * TYPE comment, a sample `name{label="value",…} value [timestamp]`, or empty; label values escaped;
 * samples belong to a declared family. Returns the families with their samples.
 */
function parsePrometheus(text: string): Map<string, { type: string; samples: Array<{ name: string; labels: Record<string, string>; value: number }> }> {
  const families = new Map<string, { type: string; samples: Array<{ name: string; labels: Record<string, string>; value: number }> }>();
  const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
  const sampleRe = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)(?: (-?\\d+))?$`);
  const labelRe = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\\\|\\"|\\n)*)"(,|$)/y;
  expect(text.endsWith('\n')).toBe(true);
  for (const [i, line] of text.split('\n').entries()) {
    if (line === '') continue;
    const where = `line ${i + 1}: ${line}`;
    if (line.startsWith('#')) {
      const m = new RegExp(`^# (HELP|TYPE) (${NAME}) (.*)$`).exec(line);
      expect(m, where).not.toBeNull();
      if (m![1] === 'TYPE') {
        expect(['counter', 'gauge', 'histogram', 'summary', 'untyped'], where).toContain(m![3]);
        families.set(m![2]!, { type: m![3]!, samples: [] });
      }
      continue;
    }
    const m = sampleRe.exec(line);
    expect(m, where).not.toBeNull();
    const [, name, labelText, valueText] = m!;
    const value = valueText === '+Inf' ? Infinity : valueText === '-Inf' ? -Infinity : valueText === 'NaN' ? NaN : Number(valueText);
    expect(valueText === 'NaN' || !Number.isNaN(value), where).toBe(true);
    const labels: Record<string, string> = {};
    if (labelText) {
      labelRe.lastIndex = 0;
      let pos = 0;
      while (pos < labelText.length) {
        labelRe.lastIndex = pos;
        const lm = labelRe.exec(labelText);
        expect(lm, where).not.toBeNull();
        labels[lm![1]!] = lm![2]!;
        pos = labelRe.lastIndex;
      }
    }
    const family = families.get(name!) ?? families.get(name!.replace(/_(bucket|sum|count|total)$/, ''));
    expect(family, `${where} (no TYPE)`).toBeDefined();
    if (name!.endsWith('_bucket')) expect(labels.le, where).toBeDefined();
    family!.samples.push({ name: name!, labels, value });
  }
  return families;
}

let env: AlertsEnv;
let service: RunningService;
let base: string;

beforeAll(async () => {
  env = await createAlertsEnv();
  ({ service, base } = await startTestService(env, ['http', 'alerts'], { ADMIN_TOKEN }));
});

afterAll(async () => {
  await service?.stop();
  await env.cleanup();
});

describe('/metrics', () => {
  it('parses as Prometheus text and has the families operators need', async () => {
    const post = makePost({ channel: 'metrics_chan' });
    await env.store.saveExtraction(post, [makeRecord(post, 0, { outcome: 'hit' })], 'test@1');
    await env.store.db.query(`insert into channels (username, last_post_at, errors_total) values ('metrics_chan', now() - interval '90 seconds', 3)`);
    await env.queues.posts.add('post', { kind: 'post', post }, { jobId: 'metrics-probe', delay: 60_000 });

    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const families = parsePrometheus(await res.text());
    for (const name of [
      'dronewire_posts_ingested_total',
      'dronewire_records_total',
      'dronewire_extraction_duration_seconds',
      'dronewire_queue_jobs',
      'dronewire_webhook_deliveries_total',
      'dronewire_webhook_failures_total',
      'dronewire_webhook_attempts_total',
      'dronewire_poll_errors_total',
      'dronewire_channel_last_post_age_seconds',
      'dronewire_incidents',
    ]) {
      expect(families.has(name), name).toBe(true);
    }
    expect(families.get('dronewire_extraction_duration_seconds')?.type).toBe('histogram');
    const delayed = families.get('dronewire_queue_jobs')!.samples.find((s) => s.labels.queue === 'posts' && s.labels.state === 'delayed');
    expect(delayed?.value).toBe(1);
    const age = families.get('dronewire_channel_last_post_age_seconds')!.samples.find((s) => s.labels.channel === 'metrics_chan');
    expect(age?.value).toBeGreaterThanOrEqual(89);
    expect(age?.value).toBeLessThan(200);
    const pollErrors = families.get('dronewire_poll_errors_total')!.samples.find((s) => s.labels.channel === 'metrics_chan');
    expect(pollErrors?.value).toBe(3);
    const hits = families.get('dronewire_incidents')!.samples.find((s) => s.labels.outcome === 'hit' && s.labels.status === 'active');
    expect(hits?.value).toBe(1);
  });
});

describe('/admin', () => {
  it('refuses the dashboard without the token, or with a wrong one', async () => {
    const none = await fetch(`${base}/admin/queues`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Basic /);
    expect(await none.text()).not.toContain('bull');
    const wrong = await fetch(`${base}/admin/queues`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}x` } });
    expect(wrong.status).toBe(401);
    const api = await fetch(`${base}/admin/queues/api/queues`);
    expect(api.status).toBe(401);
  });

  it('serves the dashboard with the token, as bearer or as basic password', async () => {
    const bearer = await fetch(`${base}/admin/queues`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(bearer.status).toBe(200);
    expect(await bearer.text()).toContain('<html');
    const basic = await fetch(`${base}/admin/queues/api/queues`, { headers: { authorization: `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}` } });
    expect(basic.status).toBe(200);
    const body = (await basic.json()) as { queues: Array<{ name: string }> };
    expect(body.queues.map((q) => q.name).sort()).toEqual(['alerts', 'polls', 'posts']);
  });

  it('POST /admin/replay needs the token and validates the selection', async () => {
    const url = `${base}/admin/replay`;
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` };
    expect((await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"selection":{"all":true}}' })).status).toBe(401);
    const bad = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ selection: { fromId: 5 } }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toContain('--from-id/--to-id need --channel');
    const dry = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ selection: { channel: 'metrics_chan' }, dryRun: true }) });
    expect(dry.status).toBe(200);
    expect(((await dry.json()) as { counts: { posts: number } }).counts.posts).toBe(1);
    const malformed = await fetch(url, { method: 'POST', headers, body: '{"selection":' });
    expect(malformed.status).toBe(400);
    expect(await malformed.text()).not.toMatch(/at .*\.js:\d+/);
    const huge = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ selection: { channel: 'x'.repeat(100_000) } }) });
    expect(huge.status).toBe(413);
  });

  it('has no admin routes when no ADMIN_TOKEN is configured', async () => {
    const other = await startTestService(env, ['http']);
    try {
      expect((await fetch(`${other.base}/admin/queues`)).status).toBe(404);
      expect((await fetch(`${other.base}/admin/queues`, { headers: { authorization: 'Bearer anything-at-all-1234' } })).status).toBe(404);
    } finally {
      await other.service.stop();
    }
  });

  it('compares tokens by value only', () => {
    expect(tokenMatches(ADMIN_TOKEN, ADMIN_TOKEN)).toBe(true);
    expect(tokenMatches(ADMIN_TOKEN.slice(0, -1), ADMIN_TOKEN)).toBe(false);
    expect(tokenMatches('', ADMIN_TOKEN)).toBe(false);
  });
});

describe('incidents API additions', () => {
  it('GET /incidents/:id and /incidents/:id/events', async () => {
    const post = makePost({ channel: 'api_chan', messageId: 4242 });
    await env.store.saveExtraction(post, [makeRecord(post, 0, { count: 5 })], 'test@1');
    await env.store.saveExtraction({ ...post, text: 'edited' }, [], 'test@1');
    const id = encodeURIComponent('api_chan/4242#0');
    const one = await fetch(`${base}/incidents/${id}`);
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({ status: 'retracted', record: { id: 'api_chan/4242#0', count: 5 } });
    const events = (await (await fetch(`${base}/incidents/${id}/events`)).json()) as { items: Array<{ type: string }> };
    expect(events.items.map((e) => e.type)).toEqual(['incident.created', 'incident.retracted']);
    expect((await fetch(`${base}/incidents/${encodeURIComponent('api_chan/1#0')}`)).status).toBe(404);
    // The core list route still answers, filters included.
    const list = (await (await fetch(`${base}/incidents?channel=api_chan&status=all`)).json()) as { items: unknown[] };
    expect(list.items).toHaveLength(1);
  });

  it('answers unknown routes and bad input without stack traces', async () => {
    const missing = await fetch(`${base}/nope`);
    expect(missing.status).toBe(404);
    const bad = await fetch(`${base}/incidents?outcome=exploded`);
    expect(bad.status).toBe(400);
    const text = await bad.text();
    expect(text).not.toMatch(/\bat .*:\d+:\d+/);
  });
});
