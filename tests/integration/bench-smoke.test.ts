/**
 * The bench in quick mode, end to end on the real Redis and PostgreSQL: it finishes, prints the
 * one-line JSON summary last on stdout with the shape issue 8 fixes (so that runs can be compared
 * over time), and leaves no BullMQ keys or schemas of its run behind.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { describe, expect, it } from 'vitest';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function runBench(tag: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench.ts', '--quick', '--json'], {
      cwd: process.cwd(),
      env: { ...process.env, BENCH_RUN_TAG: tag, BENCH_REDIS_URL: REDIS_URL, BENCH_DATABASE_URL: DATABASE_URL },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

interface Stats {
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  published: number;
  delivered: number;
}

/** The part of the summary the issue fixes (more fields are allowed). */
interface Summary {
  cores: number;
  extraction: Record<'postsPerSec' | 'p50Us' | 'p99Us' | 'rssMb', number>;
  bareBullmq: { jobsPerSec: number };
  pipeline: { postsPerSec: number; ratioToBare: number };
  replay: { posts: number; seconds: number; byWorkers: Record<string, number> };
  latency: { p50Ms: number; p95Ms: number; p99Ms: number; byRate: Record<string, Stats> };
  peakWorkerRssMb: number;
}

async function leftoverKeys(redis: Redis, pattern: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 10_000);
    cursor = next;
    found.push(...keys);
  } while (cursor !== '0');
  return found;
}

const positive = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v > 0;

describe('npm run bench -- --quick --json', () => {
  it('prints the summary last, in the shape of issue 8, and cleans up after itself', async () => {
    const tag = `smoke${randomBytes(3).toString('hex')}`;
    const { code, stdout, stderr } = await runBench(tag);
    expect(code, stderr.slice(-2_000)).toBe(0);
    expect(stderr).toMatch(/\[bench .* s\] extraction/);

    const last = stdout.trimEnd().split('\n').at(-1) ?? '';
    const s = JSON.parse(last) as Summary;
    expect(s.cores).toBeGreaterThanOrEqual(1);
    for (const k of ['postsPerSec', 'p50Us', 'p99Us', 'rssMb'] as const) expect(positive(s.extraction[k]), `extraction.${k}`).toBe(true);
    expect(positive(s.bareBullmq.jobsPerSec)).toBe(true);
    expect(positive(s.pipeline.postsPerSec)).toBe(true);
    expect(s.pipeline.ratioToBare).toBeCloseTo(s.pipeline.postsPerSec / s.bareBullmq.jobsPerSec, 1);
    expect(s.replay.posts).toBe(600);
    expect(positive(s.replay.seconds)).toBe(true);
    expect(Object.keys(s.replay.byWorkers).sort()).toEqual(['1', '2', '4']);
    for (const w of ['1', '2', '4']) expect(positive(s.replay.byWorkers[w]), `replay.byWorkers.${w}`).toBe(true);
    for (const k of ['p50Ms', 'p95Ms', 'p99Ms'] as const) expect(positive(s.latency[k]), `latency.${k}`).toBe(true);
    expect(s.latency.p50Ms).toBeLessThanOrEqual(s.latency.p95Ms);
    expect(s.latency.p95Ms).toBeLessThanOrEqual(s.latency.p99Ms);
    // Every post published at the measured rates reached the receiver as a verified webhook.
    for (const v of Object.values(s.latency.byRate)) expect(v.delivered).toBe(v.published);
    expect(positive(s.peakWorkerRssMb)).toBe(true);

    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    const db = new pg.Client({ connectionString: DATABASE_URL });
    try {
      expect(await leftoverKeys(redis, `dwbench_${tag}_*`)).toEqual([]);
      await db.connect();
      const { rows } = await db.query('select nspname from pg_namespace where nspname like $1', [`dw_bench_${tag}_%`]);
      expect(rows).toEqual([]);
    } finally {
      redis.disconnect();
      await db.end();
    }
  }, 240_000);
});
