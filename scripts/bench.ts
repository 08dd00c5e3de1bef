/**
 * `npm run bench`: how fast dronewire is on this machine, against baselines measured here and now.
 *
 *   1. extraction alone: posts/s on one core, p50/p99 per post, peak RSS (scripts/bench-extraction.ts)
 *   2. bare BullMQ: no-op jobs through one worker process at concurrency 16, the same payloads
 *   3. pipeline: addBulk → extract worker → store → stream event (PostgreSQL; PGlite as a second column)
 *   4. replay: the archive (100,000 posts) re-extracted by the replay path, with 1, 2 and 4 worker processes
 *   5. latency: a local fake t.me/s publishing at 10 and 100 posts/s, the real service polling it,
 *      post served → webhook received, p50/p95/p99
 *
 * Uses the machine's Redis and PostgreSQL (REDIS_URL / DATABASE_URL or BENCH_* overrides), each run
 * under its own random BullMQ prefix and schema, removed afterwards. Progress goes to stderr; the
 * report to stdout; with --json the last stdout line is the one-line summary.
 *
 *   npm run bench                     full run (under 5 minutes on 2 cores)
 *   npm run bench -- --json           …and the JSON summary last
 *   npm run bench -- --quick --json   smoke run (small sizes, under a minute)
 *   npm run bench -- --only replay    some sections: extraction,throughput,replay,latency
 *
 * Environment: BENCH_CPU_PROF=<dir> (a CPU profile per child; read them with
 * scripts/bench/profile-summary.ts), BENCH_SIZES='{"replayPosts":5000}', BENCH_RUNTIME=tsx (children
 * from TypeScript instead of the compiled build), BENCH_VERBOSE=1 (children's logs on stderr).
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { buildChildren } from './bench/build.js';
import { benchPosts } from './bench/corpus.js';
import { createRedis, DATABASE_URL, killChildren, openBenchDb, progress, REDIS_URL, removeAllIssued, round } from './bench/env.js';
import { benchExtractionSection, type ExtractionResult } from './bench/extraction.js';
import { benchLatency, type LatencyResult } from './bench/latency.js';
import { benchReplay, type ReplayResult } from './bench/replay.js';
import { benchThroughput, cpuText, type ThroughputResult } from './bench/throughput.js';

const SECTIONS = ['extraction', 'throughput', 'replay', 'latency'] as const;
type Section = (typeof SECTIONS)[number];

interface Sizes {
  extractionPosts: number;
  throughputPosts: number;
  embeddedPosts: number;
  repeats: number;
  replayPosts: number;
  replayWorkers: number[];
  /** A replay run still going after this long is cut short and its time projected. */
  replayCapSeconds: number;
  latencySeconds: number;
  latencyRates: number[];
}

const FULL: Sizes = {
  extractionPosts: 20_000,
  throughputPosts: 10_000,
  embeddedPosts: 500,
  repeats: 3,
  replayPosts: 100_000,
  replayWorkers: [1, 2, 4],
  replayCapSeconds: 30,
  latencySeconds: 15,
  latencyRates: [10, 100],
};

// The smoke run (tests/integration/bench-smoke.test.ts): every section and the summary's shape,
// small sizes, one run each, no embedded column (starting PGlite alone takes seconds).
const QUICK: Sizes = {
  extractionPosts: 2_000,
  throughputPosts: 300,
  embeddedPosts: 0,
  repeats: 1,
  replayPosts: 600,
  replayWorkers: [1, 2, 4],
  replayCapSeconds: 60,
  latencySeconds: 3,
  latencyRates: [10, 100],
};

function parseFlags() {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(
      'usage: npm run bench -- [--json] [--quick] [--only extraction,throughput,replay,latency]\n' +
        '  --json    print the one-line JSON summary last on stdout\n' +
        '  --quick   small sizes, one run each (a smoke test, under a minute)\n' +
        '  --only    run only these sections (the summary has null for the others)\n',
    );
    process.exit(0);
  }
  const only = values.only ? values.only.split(',').map((s) => s.trim()) : [...SECTIONS];
  const unknown = only.filter((s) => !(SECTIONS as readonly string[]).includes(s));
  if (unknown.length) throw new Error(`unknown section(s) ${unknown.join(', ')}; sections: ${SECTIONS.join(', ')}`);
  return { json: values.json, quick: values.quick, only: new Set(only as Section[]) };
}

/** Fails early, with a clear message, when Redis or PostgreSQL is not there. */
async function checkServices(): Promise<void> {
  const redis = createRedis();
  redis.on('error', () => undefined);
  try {
    await redis.ping();
  } catch (err) {
    throw new Error(`Redis at ${REDIS_URL} does not answer (${(err as Error).message}); start it or set REDIS_URL`);
  } finally {
    redis.disconnect();
  }
  try {
    const db = await openBenchDb('public', 1);
    await db.query('select 1');
    await db.close();
  } catch (err) {
    throw new Error(`PostgreSQL at ${DATABASE_URL.replace(/\/\/[^@]*@/, '//…@')} does not answer (${(err as Error).message}); start it or set DATABASE_URL`);
  }
}

export interface Summary {
  cores: number;
  extraction: ExtractionResult | null;
  bareBullmq: ThroughputResult['bareBullmq'] | null;
  pipeline: ThroughputResult['pipeline'] | null;
  replay: ReplayResult | null;
  latency: LatencyResult | null;
  machine: { cpu: string; node: string; quick: boolean; date: string };
  /** The highest peak RSS of any worker process of the run, and per kind of process. */
  peakWorkerRssMb: number | null;
  peakRssMbByProcess: Record<string, number>;
  seconds: number;
}

function report(s: Summary): string {
  const lines: string[] = [];
  const fmt = (n: number | undefined | null, unit = '') => (n === undefined || n === null || Number.isNaN(n) ? '—' : `${n.toLocaleString('en-US')}${unit}`);
  lines.push(`dronewire bench — ${s.machine.date} — ${s.cores} cores, ${s.machine.cpu}, Node ${s.machine.node}${s.machine.quick ? ' (quick)' : ''}`);
  if (s.extraction) {
    const e = s.extraction;
    lines.push(`1. extraction (one core): ${fmt(e.postsPerSec, ' posts/s')}, p50 ${fmt(e.p50Us, ' µs')}, p99 ${fmt(e.p99Us, ' µs')}, RSS ${fmt(e.rssMb, ' MB')}`);
  }
  if (s.bareBullmq) lines.push(`2. bare BullMQ (no-op, concurrency 16): ${fmt(s.bareBullmq.jobsPerSec, ' jobs/s')} (runs ${s.bareBullmq.runs.join(', ')}; ${cpuText(s.bareBullmq.cpuUsPerJob)})`);
  if (s.pipeline) {
    const p = s.pipeline;
    lines.push(`3. pipeline, PostgreSQL: ${fmt(p.postsPerSec, ' posts/s')} = ${fmt(p.ratioToBare, '×')} bare (runs ${p.runs.join(', ')}; ${p.records} records per run; worker peak RSS ${fmt(p.peakWorkerRssMb, ' MB')})`);
    lines.push(`   ${cpuText(p.cpuUsPerPost)}`);
    if ('error' in p.embedded) lines.push(`   pipeline, embedded store: ${p.embedded.error === 'skipped' ? 'skipped' : `failed: ${p.embedded.error}`}`);
    else lines.push(`   pipeline, embedded store: ${fmt(p.embedded.postsPerSec, ' posts/s')} = ${fmt(p.embedded.ratioToBare, '×')} bare (worker peak RSS ${fmt(p.embedded.peakWorkerRssMb, ' MB')})`);
  }
  if (s.replay) {
    const r = s.replay;
    const by = Object.entries(r.byWorkers)
      .map(([w, sec]) => `${w} worker(s) ${fmt(sec, ' s')}${r.projected.includes(w) ? ' (projected: cut short)' : ''}`)
      .join(', ');
    lines.push(`4. replay of ${fmt(r.posts)} posts: ${fmt(r.seconds, ' s')} (${by}; seeding ${fmt(r.seedSeconds, ' s')}; worker peak RSS ${fmt(r.peakWorkerRssMb, ' MB')})`);
  }
  if (s.latency) {
    const l = s.latency;
    for (const [rate, v] of Object.entries(l.byRate)) {
      lines.push(`5. latency at ${rate} posts/s: p50 ${fmt(v.p50Ms, ' ms')}, p95 ${fmt(v.p95Ms, ' ms')}, p99 ${fmt(v.p99Ms, ' ms')} (${v.delivered}/${v.published} webhooks)`);
      if (v.stages) lines.push(`   stages p50/p95 ms: ${Object.entries(v.stages).map(([st, x]) => `${st} ${x.p50Ms}/${x.p95Ms}`).join(', ')}`);
    }
  }
  const byProcess = Object.entries(s.peakRssMbByProcess).map(([k, v]) => `${k} ${fmt(v, ' MB')}`).join(', ');
  lines.push(`peak RSS: ${byProcess || '—'}; bench took ${fmt(s.seconds, ' s')}`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const flags = parseFlags();
  // BENCH_SIZES='{"replayPosts": 5000}' overrides sizes (for profiling one section at a chosen size).
  const sizes: Sizes = { ...(flags.quick ? QUICK : FULL), ...(JSON.parse(process.env.BENCH_SIZES ?? '{}') as Partial<Sizes>) };
  const t0 = performance.now();
  await checkServices();
  buildChildren();
  const summary: Summary = {
    cores: cpus().length,
    extraction: null,
    bareBullmq: null,
    pipeline: null,
    replay: null,
    latency: null,
    machine: { cpu: cpus()[0]?.model ?? 'unknown', node: process.version, quick: flags.quick, date: new Date().toISOString() },
    peakWorkerRssMb: null,
    peakRssMbByProcess: {},
    seconds: 0,
  };
  const rss = summary.peakRssMbByProcess;

  if (flags.only.has('extraction')) {
    progress(`extraction: ${sizes.extractionPosts} posts on one core`);
    summary.extraction = await benchExtractionSection(sizes.extractionPosts);
    progress(`  ${summary.extraction.postsPerSec} posts/s, p50 ${summary.extraction.p50Us} µs, p99 ${summary.extraction.p99Us} µs, RSS ${summary.extraction.rssMb} MB`);
  }
  if (flags.only.has('throughput')) {
    const t = await benchThroughput({
      posts: benchPosts(sizes.throughputPosts, { seed: 1 }),
      embeddedPosts: benchPosts(sizes.embeddedPosts, { seed: 2 }),
      repeats: sizes.repeats,
    });
    summary.bareBullmq = t.bareBullmq;
    summary.pipeline = t.pipeline;
    rss['extract+alerts worker (PostgreSQL)'] = t.pipeline.peakWorkerRssMb;
    if (!('error' in t.pipeline.embedded)) rss['extract+alerts worker (embedded store)'] = t.pipeline.embedded.peakWorkerRssMb;
  }
  if (flags.only.has('replay')) {
    summary.replay = await benchReplay({ posts: sizes.replayPosts, workers: sizes.replayWorkers, capSeconds: sizes.replayCapSeconds });
    rss['extract worker (replay)'] = summary.replay.peakWorkerRssMb;
  }
  if (flags.only.has('latency')) {
    summary.latency = await benchLatency({ rates: sizes.latencyRates, seconds: sizes.latencySeconds });
    rss['all-in-one service (latency, 100 posts/s)'] = summary.latency.peakWorkerRssMb;
  }
  const peaks = Object.values(rss);
  summary.peakWorkerRssMb = peaks.length ? round(Math.max(...peaks)) : null;
  summary.seconds = round((performance.now() - t0) / 1000, 1);
  progress(`done in ${summary.seconds} s`);

  process.stdout.write(`${report(summary)}\n`);
  if (flags.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
}

/** Interrupted: stop the children, remove this run's keys and schemas (at most 15 s), leave. */
let interrupted = false;
function onSignal(signal: NodeJS.Signals): void {
  interrupted = true;
  killChildren();
  process.stderr.write(`bench: ${signal}; stopping its processes and removing its keys and schemas\n`);
  const timer = setTimeout(() => process.exit(130), 15_000);
  removeAllIssued()
    .catch((err: unknown) => process.stderr.write(`bench: cleanup failed: ${(err as Error).message} (look for dwbench_* keys and dw_bench_* schemas)\n`))
    .finally(() => {
      clearTimeout(timer);
      process.exit(130);
    });
}
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);

try {
  await main();
  process.exit(0);
} catch (err) {
  // An interrupt makes the running section fail (its children are gone); onSignal cleans up and exits.
  if (interrupted) await new Promise(() => undefined);
  killChildren();
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  await removeAllIssued().catch(() => undefined);
  process.exit(1);
}
