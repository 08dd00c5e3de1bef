/**
 * GET /metrics: the process registry (src/metrics.ts) in the Prometheus text format. Gauges of
 * shared state are read at scrape time: queue depths from Redis, and from the store the age of each
 * channel's newest post and the stored records per outcome (cached briefly: a scrape every few
 * seconds must not turn into a table scan every few seconds), and failed polls per channel.
 */
import type { Express } from 'express';
import { registry, setMetricsSources } from '../metrics.js';
import { JOB_STATES } from '../queue/queues.js';
import type { ServiceDeps } from '../service.js';

/** Memoizes an async source for ttlMs (failures are not cached). */
function cached<T>(ttlMs: number, load: () => Promise<T>): () => Promise<T> {
  let value: { at: number; data: T } | undefined;
  return async () => {
    if (value && Date.now() - value.at < ttlMs) return value.data;
    const data = await load();
    value = { at: Date.now(), data };
    return data;
  };
}

export function mountMetrics(app: Express, deps: ServiceDeps, options: { storeCacheMs?: number } = {}): void {
  const ttl = options.storeCacheMs ?? 30_000;
  const { queues, store } = deps;
  setMetricsSources({
    async queueCounts() {
      const out: Record<string, Record<string, number>> = {};
      for (const q of [queues.posts, queues.alerts, queues.polls]) out[q.name] = await q.getJobCounts(...JOB_STATES);
      return out;
    },
    channelLastPost: cached(ttl, async () => {
      // The listener keeps channels.last_post_at; the archive fills in for channels it has not seen.
      const rows = await store.db.query<{ channel: string; last_post_at: Date | string | null; errors: number }>(
        `select channel, max(last_post_at) as last_post_at, sum(errors)::int as errors from (
           select username as channel, last_post_at, errors_total as errors from channels
           union all
           select channel, max(date), 0 from posts where deleted_at is null group by channel
         ) x group by channel`,
      );
      return rows.map((r) => ({ channel: r.channel, lastPostAt: r.last_post_at ? new Date(r.last_post_at) : null, pollErrors: r.errors }));
    }),
    storedIncidents: cached(ttl, async () => {
      const rows = await store.db.query<{ outcome: string; status: string; n: number }>(
        'select outcome, status, count(*)::int as n from incidents group by outcome, status',
      );
      return rows;
    }),
  });

  app.get('/metrics', async (_req, res) => {
    res.set('Content-Type', registry.contentType).send(await registry.metrics());
  });
}
