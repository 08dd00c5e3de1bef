/**
 * Hostile input end to end: 10,000 generated post jobs — lone surrogates, 5 MB texts, control
 * characters, right-to-left marks, huge numbers, every field of the wrong type, garbage job data,
 * and posts read from web preview pages with deeply nested HTML (through the web source's parser) —
 * go to a real extract worker process. Each job must end either failed for good with a reason (in
 * BullMQ's failed set and in failed_posts) or completed with exactly the records the extractor makes
 * of it; the worker keeps running and its memory stays bounded.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePost, type Post } from '../../src/domain/post.js';
import { extractPost } from '../../src/extract/index.js';
import { parseChannelPage } from '../../src/sources/web-parse.js';
import { renderPage } from '../helpers/fake-tme.js';
import { postArbitrary, SEED_TEXTS, textArbitrary, wrongTypeValue } from '../helpers/hostile-inputs.js';
import { checkStore, createFaultEnv, describeState, postCounts, sleep, waitUntil, type FaultEnv } from '../faults/support/env.js';

const TOTAL = Number(process.env.BAD_INPUT_COUNT ?? 10_000);
const SEED = 7_2026;
/** The extract worker's resident memory may not pass this, whatever the input. */
const RSS_LIMIT_BYTES = 768 * 1024 ** 2;

interface Generated {
  jobId: string;
  data: unknown;
  /** What the input is, for messages. */
  kind: string;
}

const POST_FIELDS = ['channel', 'messageId', 'date', 'editDate', 'text', 'lang', 'channelRegion', 'id'] as const;

/** A valid post of a channel of its own, so that every job's records can be told apart. */
function basePost(kind: string, n: number, text: string, extra: Partial<Post> = {}): Post {
  const channel = `bad_${kind.replace(/[^a-z0-9_]/gi, '_')}`;
  return { id: `${channel}/${n}`, channel, messageId: n, date: '2026-11-20T10:00:00.000Z', text, ...extra };
}

/** A preview page whose post text sits under `depth` levels of nested markup. */
function nestedPage(channel: string, id: number, text: string, depth: number, tag: string): string {
  const html = `${`<${tag}>`.repeat(depth)}${text.replace(/&/g, '&amp;').replace(/</g, '&lt;')}${`</${tag}>`.repeat(depth)}`;
  return renderPage({ username: channel, title: channel, posts: [{ id, date: '2026-11-20T10:00:00Z', text: '', html }] }, undefined, 20);
}

let slowestPageMs = 0;

function generate(total: number): { jobs: Generated[]; pageFailures: Array<{ depth: number; error: string }> } {
  const jobs: Generated[] = [];
  const pageFailures: Array<{ depth: number; error: string }> = [];
  const quarter = Math.floor(total / 4);
  // 1. Valid in shape, hostile in content (controls, bidi, surrogates, huge numbers, mutated reports).
  fc.sample(postArbitrary({ huge: false }), { numRuns: quarter, seed: SEED }).forEach((p, i) => {
    jobs.push({ jobId: `bad-content-${i}`, kind: 'hostile content', data: { kind: 'post', post: { ...p, id: `bad_content/${i + 1}`, channel: 'bad_content', messageId: i + 1 } } });
  });
  // 2. One field of the wrong type (or a wrong value) in an otherwise valid post.
  const wrong = fc.sample(fc.tuple(fc.constantFrom(...POST_FIELDS), wrongTypeValue, textArbitrary({ huge: false })), { numRuns: quarter, seed: SEED + 1 });
  wrong.forEach(([field, value, text], i) => {
    const post: Record<string, unknown> = { ...basePost('wrong_type', i + 1, text) };
    post[field] = value;
    jobs.push({ jobId: `bad-field-${i}`, kind: `wrong ${field}`, data: { kind: 'post', post } });
  });
  // 3. Job data that is not a post job at all.
  const garbage = fc.sample(fc.oneof(fc.anything({ maxDepth: 3 }), fc.record({ kind: fc.constant('post'), post: fc.anything({ maxDepth: 3 }) }), fc.record({ kind: fc.string(), post: fc.constant({}) })), {
    numRuns: Math.floor(quarter / 2),
    seed: SEED + 2,
  });
  garbage.forEach((value, i) => jobs.push({ jobId: `bad-garbage-${i}`, kind: 'garbage job data', data: typeof value === 'object' && value !== null && !Array.isArray(value) ? value : { value } }));
  // 4. Posts read from preview pages with deeply nested markup, through the web source's parser.
  const depths = fc.oneof(fc.integer({ min: 1, max: 600 }), fc.integer({ min: 600, max: 5_000 }));
  const pages = fc.sample(fc.tuple(fc.constantFrom(...SEED_TEXTS), depths, fc.constantFrom('b', 'i', 'span', 'div', 'a', 'blockquote')), {
    numRuns: Math.floor(quarter / 2),
    seed: SEED + 3,
  });
  pages.push([SEED_TEXTS[0]!, 20_000, 'b'], [SEED_TEXTS[1]!, 100_000, 'div']);
  pages.forEach(([text, depth, tag], i) => {
    const channel = 'bad_nested';
    let parsed;
    const started = performance.now();
    try {
      parsed = parseChannelPage(nestedPage(channel, i + 1, text, depth, tag), channel);
    } catch (err) {
      pageFailures.push({ depth, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
      return;
    } finally {
      slowestPageMs = Math.max(slowestPageMs, performance.now() - started);
    }
    for (const p of parsed.posts) {
      jobs.push({ jobId: `bad-nested-${i}`, kind: `nested ${tag} × ${depth}`, data: { kind: 'post', post: { id: `${channel}/${p.messageId}`, channel, messageId: p.messageId, date: p.date, text: p.text } } });
    }
  });
  // 5. Texts of 5 MB (refused: longer than a post may be) and of 900,000 characters (read in part).
  for (let i = 0; i < 5; i++) jobs.push({ jobId: `bad-5mb-${i}`, kind: '5 MB text', data: { kind: 'post', post: basePost('five_mb', i + 1, SEED_TEXTS[i]!.repeat(Math.ceil(5_000_000 / SEED_TEXTS[i]!.length))) } });
  for (let i = 0; i < 5; i++) jobs.push({ jobId: `bad-900k-${i}`, kind: '900k text', data: { kind: 'post', post: basePost('long_text', i + 1, SEED_TEXTS[i]!.repeat(Math.ceil(900_000 / SEED_TEXTS[i]!.length)).slice(0, 900_000)) } });
  // Fill up to the total with more hostile content.
  const rest = total - jobs.length;
  if (rest > 0) {
    fc.sample(postArbitrary({ huge: false }), { numRuns: rest, seed: SEED + 4 }).forEach((p, i) => {
      jobs.push({ jobId: `bad-more-${i}`, kind: 'hostile content', data: { kind: 'post', post: { ...p, id: `bad_more/${i + 1}`, channel: 'bad_more', messageId: i + 1 } } });
    });
  }
  return { jobs: jobs.slice(0, total), pageFailures };
}

describe(`bad input: ${TOTAL} hostile post jobs`, () => {
  let env: FaultEnv;
  beforeAll(async () => {
    env = await createFaultEnv();
  });
  afterAll(async () => {
    await env?.cleanup();
  });

  it('fails each bad job with a reason, extracts each good one, and keeps running within bounded memory', async () => {
    const { jobs, pageFailures } = generate(TOTAL);
    // The web parser refuses no page by crashing: a page it cannot read fails with its own error.
    expect(pageFailures.filter((f) => /RangeError|call stack/.test(f.error))).toEqual([]);
    expect(slowestPageMs).toBeLessThan(2_000);
    expect(jobs.length).toBe(TOTAL);

    const worker = await env.startChild('extract-worker', 'extract,http', { WORKER_CONCURRENCY: '16', FAULT_LOCK_MS: '' });
    const httpPort = Number((await worker.waitForLog((l) => l.msg === 'HTTP listening', 30_000, 'HTTP listening').catch(() => ({ port: 0 }))).port);
    const baseline = worker.memory()!;
    let peakRss = baseline.rss;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const m = worker.memory();
        if (m) peakRss = Math.max(peakRss, m.rss, m.peak);
        await sleep(100);
      }
    })();

    const started = Date.now();
    // What the worker will see: the job data after its JSON round trip through Redis.
    const seen = jobs.map((j) => JSON.parse(JSON.stringify(j.data)) as { post?: unknown; kind?: unknown });
    for (let i = 0; i < jobs.length; i += 200) {
      await env.queues.posts.addBulk(jobs.slice(i, i + 200).map((j) => ({ name: 'post', data: j.data as never, opts: { jobId: j.jobId, attempts: 3, backoff: { type: 'fixed', delay: 200 } } })));
    }
    await waitUntil(async () => {
      const c = await postCounts(env.queues);
      return c.completed + c.failed === TOTAL;
    }, 600_000, `all ${TOTAL} jobs finished`, 1_000, () => describeState(env));
    const tookMs = Date.now() - started;
    sampling = false;
    await sampler;

    // Each job: failed for good with a reason, or completed with the extractor's records.
    const failedJobs = new Map((await env.queues.posts.getFailed(0, -1)).filter(Boolean).map((j) => [String(j!.id), j!]));
    const failedRows = new Map((await env.db.query<{ job_id: string; reason: string }>('select job_id, reason from failed_posts')).map((r) => [r.job_id, r.reason]));
    const problems: string[] = [];
    const expectedGood = new Map<string, ReturnType<typeof extractPost>>();
    jobs.forEach((job, i) => {
      const data = seen[i]!;
      const parsed = data.kind === 'post' ? parsePost(data.post) : ({ ok: false, reason: 'not a post job' } as const);
      const failed = failedJobs.get(job.jobId);
      if (!parsed.ok) {
        if (!failed) problems.push(`${job.jobId} (${job.kind}): invalid (${parsed.reason}) but not failed`);
        else if (!failed.failedReason) problems.push(`${job.jobId}: failed without a reason`);
        else if (!failedRows.get(job.jobId)) problems.push(`${job.jobId}: failed but no failed_posts row`);
        return;
      }
      if (failed) {
        problems.push(`${job.jobId} (${job.kind}): a valid post failed: ${failed.failedReason.slice(0, 200)}`);
        return;
      }
      expectedGood.set(parsed.post.id, extractPost(parsed.post));
    });
    const store = await checkStore(env.db, expectedGood);
    const report = [...problems.slice(0, 30), `missing records: ${store.missing.slice(0, 10).join(', ')}`, `unexpected: ${store.unexpected.slice(0, 10).join(', ')}`];
    expect(problems, report.join('\n')).toEqual([]);
    expect(store.missing).toEqual([]);
    expect(store.unexpected).toEqual([]);

    // Still running and answering.
    expect(worker.hasExited()).toBe(false);
    if (httpPort > 0) expect((await fetch(`http://127.0.0.1:${httpPort}/healthz`)).status).toBe(200);
    expect(peakRss).toBeLessThan(RSS_LIMIT_BYTES);

    const mb = (n: number) => `${Math.round(n / 1024 ** 2)} MB`;
    console.info(
      `[bad-input] ${TOTAL} jobs in ${tookMs} ms: ${failedJobs.size} failed with a reason, ${TOTAL - failedJobs.size} completed ` +
        `(${store.records} records); worker RSS ${mb(baseline.rss)} at start, peak ${mb(peakRss)}; ${pageFailures.length} nested pages refused by the parser (slowest page ${Math.round(slowestPageMs)} ms)`,
    );
  }, 900_000);
});
