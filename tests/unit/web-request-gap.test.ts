/** WEB_REQUEST_GAP_MS: the web source's politeness gap between two requests to the host. */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createWebSource, requestGaps } from '../../src/sources/web.js';
import { renderPage, type FakeChannel } from '../helpers/fake-tme.js';

const channel: FakeChannel = { username: 'gap_test', title: 'Gap test', posts: [{ id: 1, date: '2026-03-01T00:00:00.000Z', text: 'first' }] } as FakeChannel;
const page = renderPage(channel, undefined, 20);

/** Three reads of the latest page on a fake clock; returns the gaps between request starts. */
async function gapsBetweenRequests(options: { requestGapMs?: number }): Promise<number[]> {
  let clock = 1_000_000;
  const starts: number[] = [];
  const source = createWebSource({
    baseUrl: 'http://fake.invalid',
    logger: pino({ level: 'silent' }),
    ...options,
    now: () => clock,
    sleep: async (ms) => {
      clock += ms;
    },
    fetchImpl: (async () => {
      starts.push(clock);
      return new Response(page, { status: 200, headers: { 'content-type': 'text/html' } });
    }) as typeof fetch,
  });
  for (let i = 0; i < 3; i++) await source.fetchPage('gap_test');
  return starts.slice(1).map((t, i) => t - starts[i]!);
}

describe('WEB_REQUEST_GAP_MS', () => {
  it('defaults to a mean gap of 1 s, accepts 0, refuses a negative gap', () => {
    expect(loadConfig({}).WEB_REQUEST_GAP_MS).toBe(1_000);
    expect(loadConfig({ WEB_REQUEST_GAP_MS: '0' }).WEB_REQUEST_GAP_MS).toBe(0);
    expect(() => loadConfig({ WEB_REQUEST_GAP_MS: '-5' })).toThrow(/WEB_REQUEST_GAP_MS/);
  });

  it('draws each gap from 70–130 % of the mean (700–1,300 ms by default, as before the setting)', () => {
    expect(requestGaps(1_000)).toEqual({ minGapMs: 700, jitterMs: 600 });
    expect(requestGaps(0)).toEqual({ minGapMs: 0, jitterMs: 0 });
  });

  it('spaces requests to the host by the setting, and not at all with 0', async () => {
    for (const gap of await gapsBetweenRequests({})) {
      expect(gap).toBeGreaterThanOrEqual(700);
      expect(gap).toBeLessThanOrEqual(1_300);
    }
    for (const gap of await gapsBetweenRequests({ requestGapMs: 5_000 })) {
      expect(gap).toBeGreaterThanOrEqual(3_500);
      expect(gap).toBeLessThanOrEqual(6_500);
    }
    expect(await gapsBetweenRequests({ requestGapMs: 0 })).toEqual([0, 0]);
  });
});
