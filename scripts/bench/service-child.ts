/**
 * The service for the latency section: every role in one process (startService, as `start` runs
 * it), the listener reading the local fake t.me/s with the real web source and poll worker.
 *
 * One difference from production, on purpose: the web source's politeness gap between two
 * requests to the host (1 s + up to 0.5 s jitter, a courtesy to t.me) is BENCH_WEB_MIN_GAP_MS
 * (default 0) here. With the gap, one host serves at most one 20-post page per ~1.25 s, so a
 * publisher at 100 posts/s could not be followed at all; the gap measures t.me's patience, not
 * dronewire's pipeline.
 *
 *   <settings in the environment> node --import tsx scripts/bench/service-child.ts
 */
import { loadConfig, secretValues } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { ROLES, startService } from '../../src/service.js';
import { createListener } from '../../src/sources/listener.js';
import { createWebSource } from '../../src/sources/web.js';

const config = loadConfig();
const logger = createLogger(config, secretValues(config));
const minGapMs = Number(process.env.BENCH_WEB_MIN_GAP_MS ?? 0);

const service = await startService({
  config,
  logger,
  roles: [...ROLES],
  factories: {
    listener: (d) =>
      createListener({
        config: d.config,
        logger: d.logger,
        store: d.store,
        queues: d.queues,
        connection: d.workerConnection('dronewire-listener'),
        source: createWebSource({ baseUrl: d.config.TELEGRAM_WEB_BASE_URL, logger: d.logger.child({ source: 'web' }), minGapMs, jitterMs: 0 }),
        onChanges: (changes) => d.changes.emit(changes),
      }),
  },
});
await service.stopped;
