/**
 * The alerts role: the outbox publisher (run right after each extraction through `onChanges`, and
 * by a periodic sweep that catches anything left unpublished by a crash) and the webhook delivery
 * worker.
 */
import { QueueEvents, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { createWorkerConnection } from '../queue/connection.js';
import { QUEUES, type AlertJobData } from '../queue/names.js';
import type { Sql } from '../store/db.js';
import { createOutboxPublisher } from './publisher.js';
import { loadSubscribers, type Subscriber } from './subscribers.js';
import { createWebhookWorker, type BackoffSettings } from './webhook-worker.js';

export interface AlerterDeps {
  config: Pick<Config, 'REDIS_URL' | 'QUEUE_PREFIX' | 'WEBHOOK_URL' | 'WEBHOOK_SECRET' | 'WEBHOOKS_FILE' | 'WEBHOOK_TIMEOUT_MS' | 'SHUTDOWN_GRACE_MS'>;
  logger: Logger;
  store: { db: Sql };
  /** The shared queues (createQueues): the alerts queue and its producer connection. */
  queues: { alerts: Queue<AlertJobData>; connection: Redis };
  /** Default: from WEBHOOK_URL / WEBHOOKS_FILE. */
  subscribers?: Subscriber[];
  /** How often the sweep looks for unpublished events; default 5 s. */
  sweepIntervalMs?: number;
  /** Run the webhook delivery worker in this process (default true). */
  deliver?: boolean;
  /**
   * Also publish as soon as a post job that changed records completes anywhere (BullMQ queue
   * events), so that alerts stay prompt when the extract role runs in another process. Default true.
   */
  watchExtractions?: boolean;
  deliveryAttempts?: number;
  backoff?: BackoffSettings;
  orderingDelayMs?: number;
  /** The webhook worker's BullMQ lock settings (WebhookWorkerDeps). */
  lockDuration?: number;
  stalledInterval?: number;
  concurrency?: number;
  fetch?: typeof fetch;
}

export function createAlerter(deps: AlerterDeps) {
  const log = deps.logger.child({ role: 'alerts' });
  const subscribers = deps.subscribers ?? loadSubscribers(deps.config);
  const prefix = deps.config.QUEUE_PREFIX;
  const publisher = createOutboxPublisher({
    db: deps.store.db,
    redis: deps.queues.connection,
    alertsQueue: deps.queues.alerts,
    prefix,
    subscribers,
    logger: deps.logger,
    deliveryAttempts: deps.deliveryAttempts,
  });
  let workerConnection: Redis | undefined;
  let webhooks: ReturnType<typeof createWebhookWorker> | undefined;
  let sweepTimer: NodeJS.Timeout | undefined;
  let eventsConnection: Redis | undefined;
  let extractions: QueueEvents | undefined;

  function publishSoon(): void {
    // Failures (Redis or the store away) are retried by the sweep; the outbox keeps the events.
    publisher.publishPending().catch((err) => log.warn({ err }, 'publishing events failed; the sweep retries'));
  }

  return {
    subscribers,
    publisher,
    /** Hook for the extract worker: publish right away when an extraction changed records. */
    onChanges(changes: readonly unknown[]): void {
      if (changes.length > 0) publishSoon();
    },
    async start(): Promise<void> {
      if (deps.deliver !== false && subscribers.length > 0) {
        workerConnection = createWorkerConnection(deps.config.REDIS_URL, 'dronewire-alerts');
        workerConnection.on('error', (err) => log.warn({ err: { message: err.message } }, 'alerts Redis connection error'));
        webhooks = createWebhookWorker({
          connection: workerConnection,
          prefix,
          subscribers,
          logger: deps.logger,
          timeoutMs: deps.config.WEBHOOK_TIMEOUT_MS,
          backoff: deps.backoff,
          orderingDelayMs: deps.orderingDelayMs,
          lockDuration: deps.lockDuration,
          stalledInterval: deps.stalledInterval,
          concurrency: deps.concurrency,
          fetch: deps.fetch,
        });
        await webhooks.start();
      }
      if (deps.watchExtractions !== false) {
        eventsConnection = createWorkerConnection(deps.config.REDIS_URL, 'dronewire-alerts-events');
        eventsConnection.on('error', () => undefined);
        extractions = new QueueEvents(QUEUES.posts, { connection: eventsConnection, prefix });
        extractions.on('completed', ({ returnvalue }) => {
          if ((returnvalue as { changes?: unknown } | null)?.changes) publishSoon();
        });
        extractions.on('error', (err) => log.warn({ err: { message: err.message } }, 'posts queue events error'));
        await extractions.waitUntilReady();
      }
      publishSoon();
      sweepTimer = setInterval(publishSoon, deps.sweepIntervalMs ?? 5_000);
      sweepTimer.unref();
      log.info({ subscribers: subscribers.map((s) => ({ name: s.name, filters: s.filters })) }, 'alerts started');
    },
    async stop(): Promise<void> {
      if (sweepTimer) clearInterval(sweepTimer);
      await extractions?.close();
      eventsConnection?.disconnect();
      await publisher.publishPending().catch(() => 0);
      await webhooks?.stop(deps.config.SHUTDOWN_GRACE_MS);
      if (workerConnection) await workerConnection.quit().catch(() => workerConnection?.disconnect());
    },
  };
}

export type Alerter = ReturnType<typeof createAlerter>;
export { loadSubscribers, type Subscriber } from './subscribers.js';
export { verify as verifyWebhook, sign as signWebhook, generateSecret } from './signing.js';
