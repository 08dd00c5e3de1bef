/**
 * Section 5: post seen → webhook delivered. A local fake of t.me/s (the markup of the tests' fake,
 * tests/helpers/fake-tme.ts) publishes incident posts over ten channels at a steady rate; the real
 * service (every role in one process: workers/all-in-one.ts, the Dockerfile's entry point) polls it with the web source
 * every second and delivers signed webhooks to a local receiver, which verifies them.
 *
 * A post's latency runs from the moment the fake first serves a page holding it (the poll that sees
 * it; the wait for that poll is the poll interval, not the pipeline) to the arrival of its first
 * webhook. Both clocks are this process's.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSecret, verifyWebhook } from '../../src/alerts/index.js';
import { extractPost } from '../../src/extract/index.js';
import { renderPage, type FakeChannel, type FakePost } from '../../tests/helpers/fake-tme.js';
import { prng, postText } from './corpus.js';
import { createQueues, type Queues } from '../../src/queue/queues.js';
import { createRedis, deletePrefix, dropSchema, processCpuMs, progress, quantile, REDIS_URL, round, runIds, serviceCpu, serviceCpuBetween, serviceEnv, sleep, startChild, until, type Child } from './env.js';

export interface LatencyOptions {
  /** Posts per second, one phase each, in order. */
  rates: number[];
  /** Seconds of publishing per phase. */
  seconds: number;
  channels?: number;
}

export interface LatencyStats {
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  published: number;
  delivered: number;
  stages?: StageStats;
  cpu?: PhaseCpu;
}

/**
 * CPU used while a phase published and its webhooks arrived, ms: the service process (exact), and
 * every PostgreSQL and Redis process of the machine (anything else using them on a shared machine
 * counts too). Less noisy than wall-clock latency when the machine is shared.
 */
export interface PhaseCpu {
  serviceMs: number;
  serviceMsPerPost: number;
  /** Service CPU over the phase's wall time: 100 = one core busy. */
  servicePct: number;
  postgresMs: number;
  redisMs: number;
}

export interface LatencyResult {
  /** At the highest rate (100 posts/s in the full bench). */
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  rate: number;
  byRate: Record<string, LatencyStats>;
  pollIntervalMs: number;
  channels: number;
  peakWorkerRssMb: number;
}

/** Epoch ms with sub-ms resolution, comparable with the service's Date.now() on this machine. */
const epochNow = () => performance.timeOrigin + performance.now();

const PAGE_SIZE = 20;
const POLL_INTERVAL_MS = 1_000;
const REGIONS = ['RU-BEL', 'RU-KRS', 'RU-BRY', 'RU-ORL', 'RU-KLU', 'RU-VOR', 'RU-ROS', 'RU-TUL', 'RU-SMO', 'RU-LIP'];

interface Tracked {
  publishedAt: number;
  servedAt?: number;
  deliveredAt?: number;
  phase: number;
}

/** Where the time went, p50/p95 ms per stage (from BullMQ's job timestamps). */
export type StageStats = Record<(typeof STAGES)[number], { p50Ms: number; p95Ms: number }>;

/*
 * The stages of a post's way, from the timestamps BullMQ keeps on its jobs (epoch ms, the service's
 * clock, which is this machine's): served → posts job added (listener: parse, archive, enqueue) →
 * picked by the extract worker (queue wait, and any retry's back-off) → finished (extract, store,
 * onChanges) → delivery job added (outbox publisher) → picked by the webhook worker → received.
 */
const STAGES = ['listener', 'postsQueueWait', 'extractAndStore', 'publish', 'alertsQueueWait', 'delivery'] as const;

/** The fake t.me/s: renders pages, and notes when each post was first served. */
class PublishingTme {
  readonly channels: FakeChannel[];
  readonly tracked = new Map<string, Tracked>();
  private server?: Server;
  private readonly rand = prng(77);

  constructor(names: string[]) {
    const t0 = Date.now() - 3_600_000;
    this.channels = names.map((username) => ({
      username,
      title: `${username} (bench)`,
      // Older posts the first poll reads (and the cursor starts after); not measured.
      posts: [1, 2, 3].map((id) => ({ id, date: new Date(t0 + id * 60_000).toISOString(), text: `Новости области, выпуск ${id}. Обстановка спокойная.` })),
    }));
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Channels whose page has been served at least once. */
  polledChannels = new Set<string>();

  publish(phase: number, channelIndex: number): void {
    const ch = this.channels[channelIndex % this.channels.length] as FakeChannel;
    const id = (ch.posts.at(-1)?.id ?? 0) + 1;
    const date = new Date().toISOString();
    const post: FakePost = { id, date, text: this.incidentText(ch.username, id, date) };
    ch.posts.push(post);
    this.tracked.set(`${ch.username}/${id}`, { publishedAt: epochNow(), phase });
  }

  /** A text the extractor reads at least one record from: every measured post must make a webhook. */
  private incidentText(channel: string, messageId: number, date: string): string {
    for (;;) {
      const text = postText(this.rand, 'ru', true);
      if (extractPost({ id: `${channel}/${messageId}`, channel, messageId, date, text, lang: 'ru' }).length > 0) return text;
    }
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const m = /^\/s\/([A-Za-z0-9_]+)\/?$/.exec(url.pathname);
    const ch = m ? this.channels.find((c) => c.username.toLowerCase() === m[1]!.toLowerCase()) : undefined;
    if (!ch) {
      res.writeHead(404).end();
      return;
    }
    const before = url.searchParams.get('before') ? Number(url.searchParams.get('before')) : undefined;
    const html = renderPage(ch, before, PAGE_SIZE);
    // The same selection renderPage makes (posts are kept in id order here, none deleted).
    const eligible = before === undefined ? ch.posts : ch.posts.filter((p) => p.id < before);
    const page = eligible.slice(Math.max(0, eligible.length - PAGE_SIZE));
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) });
    const servedAt = epochNow();
    res.end(html);
    this.polledChannels.add(ch.username);
    for (const p of page) {
      const t = this.tracked.get(`${ch.username}/${p.id}`);
      if (t && t.servedAt === undefined) t.servedAt = servedAt;
    }
  }
}

/** The webhook receiver: verifies each request (Standard Webhooks) and notes the first arrival per post. */
async function startReceiver(secret: string, tracked: Map<string, Tracked>): Promise<{ url: string; bad: () => number; close(): Promise<void> }> {
  let bad = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = epochNow();
      const raw = Buffer.concat(chunks).toString('utf8');
      try {
        verifyWebhook(secret, req.headers, raw);
        const body = JSON.parse(raw) as { data?: { post?: { id?: string } } };
        const t = body.data?.post?.id ? tracked.get(body.data.post.id) : undefined;
        if (t && t.deliveredAt === undefined) t.deliveredAt = at;
        res.writeHead(200).end('ok');
      } catch {
        bad++;
        res.writeHead(400).end('bad signature');
      }
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    bad: () => bad,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Publishes `rate` posts/s round-robin over the channels for `seconds`. */
async function publishPhase(fake: PublishingTme, phase: number, rate: number, seconds: number): Promise<number> {
  const start = performance.now();
  let published = 0;
  const total = Math.round(rate * seconds);
  while (published < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate) + 1);
    while (published < due) fake.publish(phase, published++);
    await sleep(5);
  }
  return published;
}

/** Per-stage p50/p95 of a phase's delivered posts, from the jobs of both queues. */
async function stageStats(queues: Queues, fake: PublishingTme, phase: number): Promise<StageStats> {
  const rows = [...fake.tracked.entries()].filter(([, t]) => t.phase === phase && t.servedAt !== undefined && t.deliveredAt !== undefined);
  const alerts = new Map<string, { timestamp: number; processedOn?: number }>();
  for (const job of await queues.alerts.getJobs(['completed'], 0, -1)) {
    const postId = job?.data.recordId.replace(/#\d+$/, '');
    const prev = postId ? alerts.get(postId) : undefined;
    if (job && postId && (!prev || job.timestamp < prev.timestamp)) alerts.set(postId, { timestamp: job.timestamp, processedOn: job.processedOn });
  }
  const samples: Record<(typeof STAGES)[number], number[]> = { listener: [], postsQueueWait: [], extractAndStore: [], publish: [], alertsQueueWait: [], delivery: [] };
  for (const [postId, t] of rows) {
    const [channel, id] = postId.split('/');
    const job = await queues.posts.getJob(`post-${channel}-${id}-0`);
    const alert = alerts.get(postId);
    if (!job?.processedOn || !job.finishedOn || !alert?.processedOn) continue;
    samples.listener.push(job.timestamp - (t.servedAt as number));
    samples.postsQueueWait.push(job.processedOn - job.timestamp);
    samples.extractAndStore.push(job.finishedOn - job.processedOn);
    samples.publish.push(alert.timestamp - job.finishedOn);
    samples.alertsQueueWait.push(alert.processedOn - alert.timestamp);
    samples.delivery.push((t.deliveredAt as number) - alert.processedOn);
  }
  const out = {} as StageStats;
  for (const stage of STAGES) out[stage] = { p50Ms: round(quantile(samples[stage], 0.5), 1), p95Ms: round(quantile(samples[stage], 0.95), 1) };
  return out;
}

function phaseStats(fake: PublishingTme, phase: number): LatencyStats {
  const rows = [...fake.tracked.values()].filter((t) => t.phase === phase);
  const latencies = rows.filter((t) => t.servedAt !== undefined && t.deliveredAt !== undefined).map((t) => (t.deliveredAt as number) - (t.servedAt as number));
  return {
    p50Ms: round(quantile(latencies, 0.5), 1),
    p95Ms: round(quantile(latencies, 0.95), 1),
    p99Ms: round(quantile(latencies, 0.99), 1),
    maxMs: round(Math.max(...latencies), 1),
    published: rows.length,
    delivered: latencies.length,
  };
}

export async function benchLatency(options: LatencyOptions): Promise<LatencyResult> {
  const nChannels = options.channels ?? 10;
  const names = Array.from({ length: nChannels }, (_, i) => `bench_lat_${i}`);
  const { prefix, schema } = runIds('lat');
  const dir = mkdtempSync(join(tmpdir(), 'dwbench-latency-'));
  const registry = join(dir, 'channels.json');
  writeFileSync(registry, JSON.stringify({ channels: names.map((username, i) => ({ username, homeRegion: REGIONS[i % REGIONS.length], lang: 'ru', kind: 'governor' })) }));
  const fake = new PublishingTme(names);
  await fake.start();
  const secret = generateSecret();
  const receiver = await startReceiver(secret, fake.tracked);
  const redis = createRedis();
  const queues = await createQueues({ redisUrl: REDIS_URL, prefix });
  let service: Child | undefined;
  try {
    const env = serviceEnv({
      prefix,
      schema,
      extra: {
        TELEGRAM_SOURCE: 'web',
        TELEGRAM_WEB_BASE_URL: fake.url,
        CHANNELS: registry,
        POLL_INTERVAL_MS: String(POLL_INTERVAL_MS),
        REREAD_WINDOW: '20',
        WEBHOOK_URL: receiver.url,
        WEBHOOK_SECRET: secret,
        WEBHOOK_TIMEOUT_MS: '5000',
        // No politeness gap towards the local fake: t.me's gap (1 s on average, a courtesy) would
        // let one host serve at most one 20-post page a second, and 100 posts/s over 10 channels
        // could not be followed at all; the gap measures t.me's patience, not the pipeline.
        WEB_REQUEST_GAP_MS: '0',
      },
    });
    progress(`latency: starting the service (${nChannels} channels polled every ${POLL_INTERVAL_MS} ms)`);
    service = startChild('workers/all-in-one.ts', [], env, 'service');
    await service.waitFor((l) => l.msg === 'dronewire started', 90_000, 'dronewire started');
    await until(async () => (fake.polledChannels.size === nChannels ? true : undefined), 30_000, 'a first poll of every channel', 50);
    // Warm-up, not measured: a long-running service has its JIT, pools and connections warm.
    await publishPhase(fake, -1, 20, Math.min(3, options.seconds));
    await until(async () => ([...fake.tracked.values()].every((t) => t.phase !== -1 || t.deliveredAt !== undefined) ? true : undefined), 20_000, 'warm-up webhooks', 50).catch(() => undefined);

    const byRate: Record<string, LatencyStats> = {};
    for (const [phase, rate] of options.rates.entries()) {
      const cpu0 = { service: processCpuMs(service.pid), machine: serviceCpu(), at: performance.now() };
      const published = await publishPhase(fake, phase, rate, options.seconds);
      // The last posts wait for their poll (≤ 1.1 s) and the pipeline; give them a few seconds.
      const pending = () => [...fake.tracked.values()].filter((t) => t.phase === phase && t.deliveredAt === undefined).length;
      await until(async () => (pending() === 0 ? true : undefined), 20_000, `webhooks of ${published} posts at ${rate}/s`, 50).catch(() => undefined);
      const serviceMs = processCpuMs(service.pid) - cpu0.service;
      const machine = serviceCpuBetween(cpu0.machine, serviceCpu());
      const stats = phaseStats(fake, phase);
      stats.cpu = {
        serviceMs: round(serviceMs),
        serviceMsPerPost: round(serviceMs / Math.max(1, published), 2),
        servicePct: round((serviceMs / (performance.now() - cpu0.at)) * 100),
        postgresMs: round(machine.postgresMs),
        redisMs: round(machine.redisMs),
      };
      stats.stages = await stageStats(queues, fake, phase);
      byRate[String(rate)] = stats;
      progress(`  ${rate} posts/s: p50 ${stats.p50Ms} ms, p95 ${stats.p95Ms} ms, p99 ${stats.p99Ms} ms, max ${stats.maxMs} ms (${stats.delivered}/${stats.published} delivered)`);
      progress(`    stages p50/p95 ms: ${STAGES.map((st) => `${st} ${stats.stages?.[st].p50Ms}/${stats.stages?.[st].p95Ms}`).join(', ')}`);
      progress(
        `    CPU: service ${stats.cpu.serviceMs} ms (${stats.cpu.serviceMsPerPost} ms/post, ${stats.cpu.servicePct} % of a core), ` +
          `PostgreSQL ${stats.cpu.postgresMs} ms, Redis ${stats.cpu.redisMs} ms (machine-wide)`,
      );
      if (stats.delivered < stats.published) progress(`  warning: ${stats.published - stats.delivered} post(s) without a webhook within 20 s`);
    }
    if (receiver.bad() > 0) throw new Error(`${receiver.bad()} webhook(s) failed verification`);
    const top = String(Math.max(...options.rates));
    const main = byRate[top] as LatencyStats;
    return {
      p50Ms: main.p50Ms,
      p95Ms: main.p95Ms,
      p99Ms: main.p99Ms,
      rate: Number(top),
      byRate,
      pollIntervalMs: POLL_INTERVAL_MS,
      channels: nChannels,
      peakWorkerRssMb: round(service.peakRssMb()),
    };
  } finally {
    await service?.stop();
    await queues.close();
    await receiver.close();
    await fake.stop();
    await deletePrefix(redis, prefix);
    await redis.quit();
    await dropSchema(schema);
    rmSync(dir, { recursive: true, force: true });
  }
}
