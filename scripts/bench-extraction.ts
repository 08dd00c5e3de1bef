/**
 * Extraction throughput on one core: a mixed corpus of posts generated as variations of the
 * extractor's own test fixtures (numbers, channels and filler sentences varied, Russian, Ukrainian
 * and English, about one in six with no incident), timed post by post. It is timed warm, as a
 * worker runs: a first pass over a corpus of another seed lets V8 compile the hot code (its rate
 * is reported too, as `coldPostsPerSec`: compiler threads then take as much CPU as the extractor).
 *
 *   npx tsx scripts/bench-extraction.ts [posts]        (default 20000)
 *
 * Targets (issue 4): ≥ 20,000 posts/s, p99 < 1 ms, RSS < 250 MB.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import type { Post } from '../src/domain/post.js';
import { extractPost } from '../src/extract/index.js';
import { prng } from './bench/corpus.js';
import { EN, NEGATIVES, RU, UK, type Fixture } from '../tests/extract/fixtures.js';

export interface ExtractionBench {
  /**
   * Posts per second of CPU time used by this process once warm (other load on the machine does
   * not count; the process's compiler and GC threads do).
   */
  postsPerSec: number;
  /** Time per post by the wall clock, µs (includes GC pauses, and time the core spent on other processes). */
  p50Us: number;
  p99Us: number;
  rssMb: number;
  /** The same, main thread alone (Linux; null elsewhere): the extractor's own code, without compiler and GC threads. */
  mainThreadPostsPerSec: number | null;
  /**
   * The warm-up pass (as many posts, another seed) right after start: a fresh process's rate,
   * with V8 compiling the hot code on other threads.
   */
  coldPostsPerSec: number;
  coldMainThreadPostsPerSec: number | null;
  /** Throughput by the wall clock. */
  wallPostsPerSec: number;
  /** Load average of the machine during the run (1 min): figures above 1 per core mean other work competed. */
  loadAvg: number;
  /** First call, which loads the gazetteer. */
  warmupMs: number;
  posts: number;
  records: number;
}

const FILLERS: Record<string, string[]> = {
  ru: ['Пострадавших нет.', 'На месте работают оперативные службы.', 'Информация уточняется.', 'Просим жителей сохранять спокойствие.'],
  uk: ['Постраждалих немає.', 'На місці працюють рятувальники.', 'Інформація уточнюється.', 'Бережіть себе!'],
  en: ['No casualties were reported.', 'Emergency services are at the scene.', 'Details are being clarified.'],
};

/** A corpus of `n` posts: fixtures with their numbers changed and filler sentences added. */
export function benchCorpus(n: number, seed = 42): Post[] {
  const random = prng(seed);
  const sources: Array<Pick<Fixture, 'text' | 'lang' | 'channel' | 'channelRegion'>> = [
    ...RU, ...UK, ...EN,
    ...NEGATIVES.map(([text, lang, channelRegion]) => ({ text, lang, ...(channelRegion ? { channelRegion } : {}) })),
  ];
  const posts: Post[] = [];
  for (let i = 0; i < n; i++) {
    const src = sources[Math.floor(random() * sources.length)] as (typeof sources)[number];
    let text = src.text.replace(/\d+/g, (d) => (d.length <= 3 && random() < 0.7 ? String(1 + Math.floor(random() * Math.max(9, Number(d) * 2))) : d));
    const fillers = FILLERS[src.lang] ?? [];
    if (random() < 0.5) text = `${text} ${fillers[Math.floor(random() * fillers.length)] ?? ''}`;
    if (random() < 0.2) text = `${fillers[Math.floor(random() * fillers.length)] ?? ''}\n\n${text}`;
    const post: Post = { id: `bench/${i}`, channel: src.channel ?? 'bench', messageId: i + 1, date: '2025-11-01T06:00:00Z', text };
    if (random() < 0.8) post.lang = src.lang;
    if (src.channelRegion) post.channelRegion = src.channelRegion;
    posts.push(post);
  }
  return posts;
}

/** CPU seconds used by the calling thread so far (Linux /proc), or null where it cannot be read. */
function threadCpuSec(): number | null {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime, fields 14 and 15 of stat(5), in clock ticks of 1/100 s
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

function rate(posts: number, sec: number | null): number | null {
  return sec === null || sec <= 0 ? null : Math.round(posts / sec);
}

/** Extracts every post; returns the process's and the main thread's CPU seconds. */
function timeCorpus(corpus: Post[]): { cpuSec: number; threadSec: number | null } {
  const thread0 = threadCpuSec();
  const cpu0 = process.cpuUsage();
  for (const post of corpus) extractPost(post);
  const cpu = process.cpuUsage(cpu0);
  const thread1 = threadCpuSec();
  return { cpuSec: (cpu.user + cpu.system) / 1e6, threadSec: thread0 === null || thread1 === null ? null : thread1 - thread0 };
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** Extracts `posts` generated posts one by one on this thread and reports throughput, latency and memory. */
export async function benchExtraction(opts: { posts: number; seed?: number }): Promise<ExtractionBench> {
  const corpus = benchCorpus(Math.max(1, opts.posts), opts.seed);
  const w0 = performance.now();
  extractPost(corpus[0] as Post);
  const warmupMs = performance.now() - w0;
  const cold = timeCorpus(benchCorpus(corpus.length, (opts.seed ?? 42) + 1));

  const wall = new Float64Array(corpus.length);
  let records = 0;
  let peakRss = process.memoryUsage().rss;
  const start = process.hrtime.bigint();
  const threadStart = threadCpuSec();
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < corpus.length; i++) {
    const t0 = process.hrtime.bigint();
    records += extractPost(corpus[i] as Post).length;
    wall[i] = Number(process.hrtime.bigint() - t0) / 1000;
    if ((i & 1023) === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  const totalSec = Number(process.hrtime.bigint() - start) / 1e9;
  const cpuUsed = process.cpuUsage(cpuStart);
  const threadEnd = threadCpuSec();
  const cpuSec = (cpuUsed.user + cpuUsed.system) / 1e6;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  wall.sort();
  const r1 = (x: number): number => Math.round(x * 10) / 10;
  return {
    postsPerSec: Math.round(corpus.length / cpuSec),
    p50Us: r1(percentile(wall, 50)),
    p99Us: r1(percentile(wall, 99)),
    rssMb: r1(peakRss / 1024 / 1024),
    mainThreadPostsPerSec: rate(corpus.length, threadStart === null || threadEnd === null ? null : threadEnd - threadStart),
    coldPostsPerSec: Math.round(corpus.length / cold.cpuSec),
    coldMainThreadPostsPerSec: rate(corpus.length, cold.threadSec),
    wallPostsPerSec: Math.round(corpus.length / totalSec),
    loadAvg: r1(loadavg()[0] ?? 0),
    warmupMs: Math.round(warmupMs),
    posts: corpus.length,
    records,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const posts = Number(process.argv[2] ?? 20_000);
  const r = await benchExtraction({ posts });
  process.stdout.write(
    `extraction: ${r.posts} posts, ${r.records} records on one core\n` +
      `  throughput ${r.postsPerSec} posts per CPU-second, warm (target ≥ 20000); main thread alone ${r.mainThreadPostsPerSec ?? '?'}; by the wall clock ${r.wallPostsPerSec} posts/s (load average ${r.loadAvg})\n` +
      `             cold (the warm-up pass of ${r.posts} other posts, V8 compiling): ${r.coldPostsPerSec} posts/s, main thread ${r.coldMainThreadPostsPerSec ?? '?'}\n` +
      `  per post   p50 ${r.p50Us} µs, p99 ${r.p99Us} µs (target p99 < 1000 µs)\n` +
      `  peak RSS   ${r.rssMb} MB (target < 250 MB); first call (gazetteer load) ${r.warmupMs} ms\n`,
  );
}
