/**
 * What every bench section shares: the machine's Redis and PostgreSQL, a random BullMQ prefix and
 * PostgreSQL schema per run (cleaned up after), child processes started the way an operator starts
 * them (node + tsx, so that the pid is the process itself and /proc tells its peak RSS), progress
 * on stderr, and the statistics.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { SERVICE_NODE_FLAGS } from '../../src/heap.js';
import { deleteKeysWithPrefix } from '../../src/queue/connection.js';
import { openPostgres, type Db } from '../../src/store/db.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Where scripts/bench/build.ts compiles the children (scripts/bench/tsconfig.json says the same). */
export const BUILD_DIR = join(ROOT, 'node_modules', '.cache', 'dronewire-bench');
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const started = performance.now();

/** One progress line on stderr, with the seconds since the bench started. */
export function progress(message: string): void {
  process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${message}\n`);
}

export function randomTag(): string {
  return randomBytes(5).toString('hex');
}

/**
 * BENCH_RUN_TAG (lower-case letters and digits) goes into every prefix and schema of this run, so
 * that a test can check that the run left nothing behind.
 */
function runTag(): string {
  const tag = process.env.BENCH_RUN_TAG ?? '';
  if (!/^[a-z0-9]{0,16}$/.test(tag)) throw new Error('BENCH_RUN_TAG: up to 16 lower-case letters and digits');
  return tag ? `${tag}_` : '';
}

/** Every prefix and schema handed out, so that an interrupted bench can still remove them. */
const issued: Array<{ prefix: string; schema: string }> = [];

/** A BullMQ prefix and a PostgreSQL schema no one else uses. */
export function runIds(section: string): { prefix: string; schema: string } {
  const tag = `${runTag()}${section}_${randomTag()}`;
  const ids = { prefix: `dwbench_${tag}`, schema: `dw_bench_${tag}` };
  issued.push(ids);
  return ids;
}

/** Removes the keys and schemas of every run of this bench (those cleaned already cost a SCAN). */
export async function removeAllIssued(): Promise<void> {
  const redis = createRedis();
  redis.on('error', () => undefined);
  try {
    for (const { prefix, schema } of issued) {
      await deletePrefix(redis, prefix);
      await dropSchema(schema);
    }
  } finally {
    redis.disconnect();
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Removes every Redis key of a prefix (queues, stream, markers) without blocking Redis. */
export const deletePrefix = deleteKeysWithPrefix;

export async function dropSchema(schema: string): Promise<void> {
  if (!/^dw_bench_[a-z0-9_]+$/.test(schema)) throw new Error(`refusing to drop ${schema}: not a bench schema`);
  const db = await openPostgres(DATABASE_URL, 'public', 1);
  try {
    await db.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await db.close();
  }
}

/** A pg-backed Db on a schema (the store's own openPostgres; migrations are run by the caller). */
export function openBenchDb(schema: string, poolSize = 4): Promise<Db> {
  return openPostgres(DATABASE_URL, schema, poolSize);
}

export function createRedis(): Redis {
  return new Redis(REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: false });
}

/* ------------------------------------------------------------------ statistics */

/** The q-quantile (0…1) of a sample, nearest-rank. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function round(value: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/* ------------------------------------------------------------------ CPU accounting */

/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s. */
const TICKS_PER_SECOND = 100;

/** CPU time a process has used in user and in kernel mode, ms; zeros when it is gone or this is not Linux. */
export function processCpuSplit(pid: number): { userMs: number; systemMs: number } {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces, inside parentheses): utime is the 14th field.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { userMs: (Number(fields[11]) * 1000) / TICKS_PER_SECOND, systemMs: (Number(fields[12]) * 1000) / TICKS_PER_SECOND };
  } catch {
    return { userMs: 0, systemMs: 0 };
  }
}

/** CPU time (user + system) a process has used, ms. */
export function processCpuMs(pid: number): number {
  const { userMs, systemMs } = processCpuSplit(pid);
  return userMs + systemMs;
}

export interface CpuSnapshot {
  /** pid → CPU ms, for every postgres and redis-server process of the machine. */
  postgres: Map<number, number>;
  redis: Map<number, number>;
}

/** CPU used so far by PostgreSQL (every backend) and Redis. */
export function serviceCpu(): CpuSnapshot {
  const snap: CpuSnapshot = { postgres: new Map(), redis: new Map() };
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return snap;
  }
  for (const d of pids) {
    let comm: string;
    try {
      comm = readFileSync(`/proc/${d}/comm`, 'utf8').trim();
    } catch {
      continue;
    }
    if (comm === 'postgres') snap.postgres.set(Number(d), processCpuMs(Number(d)));
    else if (comm === 'redis-server') snap.redis.set(Number(d), processCpuMs(Number(d)));
  }
  return snap;
}

/** CPU ms PostgreSQL and Redis used between two snapshots (processes born in between count whole). */
export function serviceCpuBetween(a: CpuSnapshot, b: CpuSnapshot): { postgresMs: number; redisMs: number } {
  const diff = (x: Map<number, number>, y: Map<number, number>) => [...y].reduce((sum, [pid, ms]) => sum + Math.max(0, ms - (x.get(pid) ?? 0)), 0);
  return { postgresMs: diff(a.postgres, b.postgres), redisMs: diff(a.redis, b.redis) };
}

/* ------------------------------------------------------------------ child processes */

/** Peak and current resident set of a process, from /proc (Linux), in MB; null elsewhere. */
export function procMemoryMb(pid: number): { peak: number; current: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)\\s+kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { peak: kb('VmHWM') / 1024, current: kb('VmRSS') / 1024 };
  } catch {
    return null;
  }
}

export interface Child {
  readonly process: ChildProcess;
  readonly pid: number;
  /** Parsed JSON log lines (pino) and plain lines ({raw}) from its stderr, in order. */
  readonly lines: Array<Record<string, unknown>>;
  /** Resolves with the first log line that matches. */
  waitFor(match: (line: Record<string, unknown>) => boolean, timeoutMs: number, what: string): Promise<Record<string, unknown>>;
  /** Highest VmHWM seen (sampled while it runs and just before it stops), MB. */
  peakRssMb(): number;
  /** SIGTERM, then SIGKILL after graceMs; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

/** Children still running; killed if the bench itself is interrupted or fails. */
const running = new Set<ChildProcess>();

/** Kills every child this bench started that is still running (SIGKILL: the bench is going away). */
export function killChildren(): void {
  for (const c of running) c.kill('SIGKILL');
  running.clear();
}

/** BENCH_RUNTIME=tsx: children run TypeScript through tsx instead of the compiled build. */
export function useTsx(): boolean {
  return process.env.BENCH_RUNTIME === 'tsx';
}

/**
 * The node arguments that run a TypeScript entry point of the project (`src/cli/main.ts`): its
 * compiled .js in BUILD_DIR (as the Dockerfile runs dist/), or the .ts through tsx.
 */
export function entryArgs(tsPath: string): string[] {
  if (useTsx()) return ['--import', 'tsx', tsPath];
  return [join(BUILD_DIR, tsPath.replace(/\.ts$/, '.js'))];
}

/**
 * Starts `node <entry> …args` in the project root (see entryArgs): the pid is the process itself
 * (npx/tsx would add a wrapper), so /proc/<pid> is the worker's memory.
 */
export function startChild(script: string, args: string[], env: Record<string, string>, label: string): Child {
  // BENCH_CPU_PROF=<dir>: every child writes a V8 CPU profile there when it exits (node --cpu-prof).
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  // The service's own node flags (src/heap.ts), as the Dockerfile starts it.
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, ...profile, ...entryArgs(script), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`could not start ${label}`);
  const pid = child.pid;
  running.add(child);
  child.once('exit', () => running.delete(child));
  const lines: Array<Record<string, unknown>> = [];
  const waiters: Array<{ match: (l: Record<string, unknown>) => boolean; resolve: (l: Record<string, unknown>) => void }> = [];
  let peak = 0;
  const sample = () => {
    const mem = procMemoryMb(pid);
    if (mem && Number.isFinite(mem.peak)) peak = Math.max(peak, mem.peak);
  };
  const sampler = setInterval(sample, 250);
  sampler.unref();

  const onLine = (line: string) => {
    if (line.trim() === '') return;
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(line) as Record<string, unknown>;
      if (typeof parsed !== 'object' || parsed === null) parsed = { raw: line };
    } catch {
      parsed = { raw: line };
    }
    lines.push(parsed);
    if (lines.length > 5_000) lines.splice(0, 1_000);
    if (process.env.BENCH_VERBOSE) process.stderr.write(`  [${label}] ${line}\n`);
    for (const w of [...waiters]) {
      if (w.match(parsed)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(parsed);
      }
    }
  };
  for (const stream of [child.stdout, child.stderr]) {
    let buffer = '';
    stream?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        onLine(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 1);
      }
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  void exited.then(() => clearInterval(sampler));

  return {
    process: child,
    pid,
    lines,
    waitFor(match, timeoutMs, what) {
      const seen = lines.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          const tail = lines.slice(-8).map((l) => JSON.stringify(l)).join('\n  ');
          reject(new Error(`${label}: no "${what}" within ${timeoutMs} ms; last lines:\n  ${tail}`));
        }, timeoutMs);
        const waiter = {
          match,
          resolve: (l: Record<string, unknown>) => {
            clearTimeout(timer);
            resolve(l);
          },
        };
        waiters.push(waiter);
        void exited.then((code) => {
          if (!waiters.includes(waiter)) return;
          waiters.splice(waiters.indexOf(waiter), 1);
          clearTimeout(timer);
          const tail = lines.slice(-8).map((l) => JSON.stringify(l)).join('\n  ');
          reject(new Error(`${label} exited with ${code} before "${what}"; last lines:\n  ${tail}`));
        });
      });
    },
    peakRssMb() {
      if (child.exitCode === null) sample();
      return peak;
    },
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      sample();
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Environment of a dronewire process for one bench run (PostgreSQL unless dataDir is given). */
export function serviceEnv(options: { prefix: string; schema: string; dataDir?: string; concurrency?: number; extra?: Record<string, string> }): Record<string, string> {
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    LOG_PRETTY: 'false',
    REDIS_URL,
    QUEUE_PREFIX: options.prefix,
    DATABASE_SCHEMA: options.schema,
    WORKER_CONCURRENCY: String(options.concurrency ?? 16),
    HTTP_PORT: '0',
    SHUTDOWN_GRACE_MS: '5000',
    ...(options.extra ?? {}),
  };
  if (options.dataDir) {
    env.DATABASE_URL = '';
    env.DATA_DIR = options.dataDir;
  } else {
    env.DATABASE_URL = DATABASE_URL;
    env.DATA_DIR = join(ROOT, 'data', 'bench-unused');
  }
  return env;
}

/** Waits until check() returns a value other than undefined, polling every intervalMs. */
export async function until<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string, intervalMs = 20): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}
