/**
 * One prom-client registry for the process. Modules increment the metrics below; GET /metrics
 * (src/http/metrics.ts) renders the registry. Gauges that describe shared state (queue depths, the
 * age of a channel's last post) are read at scrape time from sources a role registers, so they are
 * right even when another process did the work.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const registry = new Registry();
registry.setDefaultLabels({ service: 'dronewire' });
collectDefaultMetrics({ register: registry, prefix: 'dronewire_' });

export const postsIngested = new Counter({
  name: 'dronewire_posts_ingested_total',
  help: 'Post versions ingested (extracted and stored), per channel',
  labelNames: ['channel'] as const,
  registers: [registry],
});

export const recordsExtracted = new Counter({
  name: 'dronewire_records_total',
  help: 'Incident records created or updated by extraction, per outcome',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

export const extractionDuration = new Histogram({
  name: 'dronewire_extraction_duration_seconds',
  help: 'Time to extract and store one post (extractor + saveExtraction)',
  buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});


export const webhookAttempts = new Counter({
  name: 'dronewire_webhook_attempts_total',
  help: 'Webhook delivery attempts per subscriber and result (delivered, http_error, network_error, timeout)',
  labelNames: ['subscriber', 'result'] as const,
  registers: [registry],
});

export const webhookDeliveries = new Counter({
  name: 'dronewire_webhook_deliveries_total',
  help: 'Events delivered to a webhook subscriber (2xx)',
  labelNames: ['subscriber'] as const,
  registers: [registry],
});

export const webhookFailures = new Counter({
  name: 'dronewire_webhook_failures_total',
  help: 'Events that exhausted their delivery attempts (kept in the failed set, replayable)',
  labelNames: ['subscriber'] as const,
  registers: [registry],
});

export const eventsPublished = new Counter({
  name: 'dronewire_events_published_total',
  help: 'Outbox events published to the Redis stream and the alerts queue, per type',
  labelNames: ['type'] as const,
  registers: [registry],
});

/** Job counts per state of one queue, e.g. {waiting: 3, active: 1, failed: 0}. */
export type QueueCountsSource = () => Promise<Record<string, Record<string, number>>>;
/** Per channel: the time of its newest archived post, and its failed polls so far (kept by the listener in the store). */
export type ChannelLastPostSource = () => Promise<Array<{ channel: string; lastPostAt: Date | null; pollErrors?: number }>>;

/** Stored incident records per outcome and status. */
export type StoredIncidentsSource = () => Promise<Array<{ outcome: string; status: string; n: number }>>;

let queueCountsSource: QueueCountsSource | undefined;
let channelLastPostSource: ChannelLastPostSource | undefined;
let storedIncidentsSource: StoredIncidentsSource | undefined;

/** Registers where queue depths and channel ages come from at scrape time; returns an unregister function. */
export function setMetricsSources(sources: {
  queueCounts?: QueueCountsSource;
  channelLastPost?: ChannelLastPostSource;
  storedIncidents?: StoredIncidentsSource;
}): () => void {
  if (sources.queueCounts) queueCountsSource = sources.queueCounts;
  if (sources.channelLastPost) channelLastPostSource = sources.channelLastPost;
  if (sources.storedIncidents) storedIncidentsSource = sources.storedIncidents;
  return () => {
    if (sources.queueCounts && queueCountsSource === sources.queueCounts) queueCountsSource = undefined;
    if (sources.channelLastPost && channelLastPostSource === sources.channelLastPost) channelLastPostSource = undefined;
    if (sources.storedIncidents && storedIncidentsSource === sources.storedIncidents) storedIncidentsSource = undefined;
  };
}

export const queueDepth = new Gauge({
  name: 'dronewire_queue_jobs',
  help: 'Jobs per queue and state',
  labelNames: ['queue', 'state'] as const,
  registers: [registry],
  async collect() {
    this.reset();
    if (!queueCountsSource) return;
    // A scrape must not fail because Redis is briefly away; the gauge is simply absent then.
    const counts = await queueCountsSource().catch(() => ({}) as Record<string, Record<string, number>>);
    for (const [queue, states] of Object.entries(counts)) {
      for (const [state, n] of Object.entries(states)) this.set({ queue, state }, n);
    }
  },
});

export const channelLastPostAge = new Gauge({
  name: 'dronewire_channel_last_post_age_seconds',
  help: "Seconds since a channel's newest archived post",
  labelNames: ['channel'] as const,
  registers: [registry],
  async collect() {
    this.reset();
    if (!channelLastPostSource) return;
    const rows = await channelLastPostSource().catch(() => []);
    const now = Date.now();
    for (const { channel, lastPostAt } of rows) {
      if (lastPostAt) this.set({ channel }, Math.max(0, (now - lastPostAt.getTime()) / 1000));
    }
  },
});

export const storedIncidents = new Gauge({
  name: 'dronewire_incidents',
  help: 'Stored incident records per outcome and status (active, retracted)',
  labelNames: ['outcome', 'status'] as const,
  registers: [registry],
  async collect() {
    this.reset();
    if (!storedIncidentsSource) return;
    const rows = await storedIncidentsSource().catch(() => []);
    for (const { outcome, status, n } of rows) this.set({ outcome, status }, n);
  },
});

/**
 * Failed polls per channel. The listener counts them in the store (channels.errors_total), so the
 * counter is read from there at scrape time and is right whichever process polled.
 */
export const pollErrors = new Counter({
  name: 'dronewire_poll_errors_total',
  help: 'Failed channel polls, per channel',
  labelNames: ['channel'] as const,
  registers: [registry],
  async collect() {
    this.reset();
    if (!channelLastPostSource) return;
    const rows = await channelLastPostSource().catch(() => []);
    for (const { channel, pollErrors: n } of rows) if (n !== undefined) this.inc({ channel }, n);
  },
});
