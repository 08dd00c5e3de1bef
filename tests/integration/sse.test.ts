/**
 * GET /incidents/stream: live events as Server-Sent Events, resumption after a disconnect with
 * Last-Event-ID (exactly the missed events, none twice), filters, and refusal of a bad id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningService } from '../../src/service.js';
import { createAlertsEnv, makePost, makeRecord, startTestService, waitFor, type AlertsEnv } from '../helpers/alerts-env.js';

interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}

/** A minimal EventSource over fetch: collects parsed events until closed. */
function openStream(url: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const events: SseEvent[] = [];
  let status = 0;
  const done = (async () => {
    const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
    status = res.status;
    if (!res.ok || !res.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const ev: SseEvent = { data: '' };
          let hasData = false;
          for (const line of frame.split('\n')) {
            if (line.startsWith(':')) continue;
            const [field, ...rest] = line.split(':');
            const value = rest.join(':').replace(/^ /, '');
            if (field === 'id') ev.id = value;
            else if (field === 'event') ev.event = value;
            else if (field === 'data') {
              ev.data += (hasData ? '\n' : '') + value;
              hasData = true;
            }
          }
          if (hasData) events.push(ev);
        }
      }
    } catch {
      /* aborted */
    }
  })();
  return {
    events,
    status: () => status,
    async close() {
      controller.abort();
      await done;
    },
  };
}

let env: AlertsEnv;
let service: RunningService;
let base: string;

beforeAll(async () => {
  env = await createAlertsEnv();
  ({ service, base } = await startTestService(env, ['http', 'alerts']));
});

afterAll(async () => {
  await service?.stop();
  await env.cleanup();
});

/** Stores records and lets the running alerter publish them right away. */
async function announce(region: string, count: number): Promise<string> {
  const post = makePost();
  const changes = await env.store.saveExtraction(post, [makeRecord(post, 0, { region, count })], 'test@1');
  service.deps.changes.emit(changes);
  return changes[0]!.eventId;
}

describe('GET /incidents/stream', () => {
  it('streams new events, and resumes after a disconnect with exactly the missed ones', async () => {
    const first = openStream(`${base}/incidents/stream`);
    await waitFor(async () => first.status() === 200, 5_000, 'stream open');
    const a = await announce('RU-BEL', 1);
    const b = await announce('RU-KRS', 2);
    await waitFor(async () => first.events.length >= 2, 5_000, 'two events');
    await first.close();
    expect(first.events.map((e) => e.event)).toEqual(['incident.created', 'incident.created']);
    const bodies = first.events.map((e) => JSON.parse(e.data));
    expect(bodies.map((d) => d.id)).toEqual([a, b]);
    expect(bodies[1].data.count).toBe(2);
    expect(first.events.every((e) => /^\d+-\d+$/.test(e.id ?? ''))).toBe(true);

    // While disconnected:
    const c = await announce('RU-BRY', 3);
    const d = await announce('RU-BEL', 4);
    await waitFor(async () => (await env.redis.xlen(`${env.prefix}:incidents`)) >= 4, 5_000, 'published');

    const resumed = openStream(`${base}/incidents/stream`, { 'last-event-id': first.events[1]!.id! });
    await waitFor(async () => resumed.events.length >= 2, 5_000, 'catch-up');
    const e = await announce('RU-ORL', 5);
    await waitFor(async () => resumed.events.length >= 3, 5_000, 'live after catch-up');
    await new Promise((r) => setTimeout(r, 200));
    await resumed.close();
    expect(resumed.events.map((ev) => JSON.parse(ev.data).id)).toEqual([c, d, e]);
  });

  it('filters by region and outcome; refuses a malformed Last-Event-ID', async () => {
    const filtered = openStream(`${base}/incidents/stream?region=RU-VOR,UA&types=created`);
    await waitFor(async () => filtered.status() === 200, 5_000, 'stream open');
    await announce('RU-BEL', 6);
    const wanted = await announce('RU-VOR', 7);
    const ua = await announce('UA-63', 8);
    await waitFor(async () => filtered.events.length >= 2, 5_000, 'filtered events');
    await new Promise((r) => setTimeout(r, 200));
    await filtered.close();
    expect(filtered.events.map((ev) => JSON.parse(ev.data).id)).toEqual([wanted, ua]);

    const bad = await fetch(`${base}/incidents/stream`, { headers: { 'last-event-id': 'evt_nope' } });
    expect(bad.status).toBe(400);
    const badFilter = await fetch(`${base}/incidents/stream?outcome=exploded`);
    expect(badFilter.status).toBe(400);
  });
});
