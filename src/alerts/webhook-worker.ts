/**
 * Delivers alert jobs to webhook subscribers, Standard Webhooks style: `webhook-id` is the event id
 * (the same on every attempt, so receivers can de-duplicate), `webhook-timestamp` the attempt time,
 * `webhook-signature` over id.timestamp.body. A 2xx answer is delivery; anything else, a timeout or a
 * network error is retried with capped exponential back-off over hours; a job that runs out of
 * attempts stays in the alerts queue's failed set, from where `replay --failed-deliveries` re-sends it.
 */
import { DelayedError, Queue, UnrecoverableError, Worker, type Job, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { webhookAttempts, webhookDeliveries, webhookFailures } from '../metrics.js';
import { QUEUES, type AlertJobData } from '../queue/names.js';
import { signedHeaders } from './signing.js';
import type { Subscriber } from './subscribers.js';

export const WEBHOOK_BACKOFF_TYPE = 'webhook';

export interface BackoffSettings {
  /** First retry delay. */
  baseMs: number;
  /** Longest delay between two attempts. */
  capMs: number;
}

/** 5 s, 10 s, 20 s … capped at one hour: 15 attempts span about six hours. */
export const DEFAULT_BACKOFF: BackoffSettings = { baseMs: 5_000, capMs: 3_600_000 };
export const DELIVERY_ATTEMPTS = 15;

/** Options of every delivery job (the publisher adds them with these). */
export function deliveryJobOptions(attempts = DELIVERY_ATTEMPTS): JobsOptions {
  return {
    attempts,
    backoff: { type: WEBHOOK_BACKOFF_TYPE },
    // Completed deliveries are kept a week so that a re-published event is deduplicated by job id;
    // failed ones a month, to be replayed.
    removeOnComplete: { age: 7 * 24 * 3600, count: 100_000 },
    removeOnFail: { age: 30 * 24 * 3600 },
  };
}

/** Delay before attempt n+1 after n failed attempts: base·2^(n−1), capped, with ±10 % jitter. */
export function backoffDelay(attemptsMade: number, settings: BackoffSettings, random: () => number = Math.random): number {
  const raw = settings.baseMs * 2 ** Math.max(0, attemptsMade - 1);
  const capped = Math.min(raw, settings.capMs);
  return Math.round(capped * (0.9 + 0.2 * random()));
}

export class DeliveryError extends Error {
  readonly code = 'WEBHOOK_DELIVERY_FAILED';
  constructor(
    message: string,
    readonly result: 'http_error' | 'network_error' | 'timeout',
    readonly status?: number,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

export interface WebhookWorkerDeps {
  /** A worker connection (maxRetriesPerRequest: null). */
  connection: Redis;
  prefix: string;
  subscribers: Subscriber[];
  logger: Logger;
  timeoutMs: number;
  concurrency?: number;
  backoff?: BackoffSettings;
  /** How long a delivery waits before looking again when an earlier event of its record is pending. */
  orderingDelayMs?: number;
  /**
   * BullMQ lock settings, as the extract worker's: a delivery held by a worker that died waits
   * for its lock to expire and the next stalled check (30 s each by default) before another worker
   * takes it, and the record's later events wait behind it. Lowered in the fault tests.
   */
  lockDuration?: number;
  stalledInterval?: number;
  fetch?: typeof fetch;
}

/** Delivery job id: one job per subscriber and event, so a re-publish or retry never duplicates. */
export function deliveryJobId(subscriber: string, eventId: string): string {
  return `${subscriber}-${eventId}`;
}

async function post(fetchFn: typeof fetch, subscriber: Subscriber, data: AlertJobData, timeoutMs: number): Promise<number> {
  const headers = signedHeaders(subscriber.secret, data.eventId, data.body);
  let res: Response;
  try {
    res = await fetchFn(subscriber.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'dronewire-webhooks/1', ...headers },
      body: data.body,
      // A redirect is not a delivery; following it would also send the payload somewhere unvetted.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const name = (err as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError') throw new DeliveryError(`no answer within ${timeoutMs} ms`, 'timeout');
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    throw new DeliveryError(`request failed${cause ? ` (${cause})` : ''}`, 'network_error');
  }
  // The body is of no interest; drain it so the connection can be reused.
  await res.body?.cancel().catch(() => undefined);
  if (res.status < 200 || res.status > 299) throw new DeliveryError(`HTTP ${res.status}`, 'http_error', res.status);
  return res.status;
}

/**
 * Whether an earlier event of the same record is still on its way to this subscriber. A missing job
 * (never sent to this subscriber, or delivered and trimmed) or a finished one (completed, or failed
 * for good — it cannot block the rest for ever) does not hold the next one back.
 */
async function predecessorPending(queue: Queue, jobId: string): Promise<boolean> {
  const job = await queue.getJob(jobId);
  if (!job) return false;
  const state = await job.getState();
  return state !== 'completed' && state !== 'failed' && state !== 'unknown';
}

export function createWebhookWorker(deps: WebhookWorkerDeps) {
  const fetchFn = deps.fetch ?? fetch;
  const backoff = deps.backoff ?? DEFAULT_BACKOFF;
  const orderingDelayMs = deps.orderingDelayMs ?? 5_000;
  const byName = new Map(deps.subscribers.map((s) => [s.name, s]));
  const log = deps.logger.child({ role: 'webhooks' });
  // Reads the predecessor's state; shares the worker's connection options but not its blocking socket.
  const lookupConnection = deps.connection.duplicate();
  const lookups = new Queue<AlertJobData>(QUEUES.alerts, { connection: lookupConnection, prefix: deps.prefix });

  async function deliver(job: Job<AlertJobData>, token?: string): Promise<{ status: number }> {
    const data = job.data;
    const subscriber = byName.get(data.subscriber);
    if (!subscriber) throw new UnrecoverableError(`subscriber "${data.subscriber}" is not configured`);
    if (data.after && (await predecessorPending(lookups, data.after))) {
      // Created must reach a subscriber before updated/retracted of the same record.
      await job.moveToDelayed(Date.now() + orderingDelayMs, token);
      throw new DelayedError();
    }
    try {
      const status = await post(fetchFn, subscriber, data, deps.timeoutMs);
      webhookAttempts.inc({ subscriber: subscriber.name, result: 'delivered' });
      webhookDeliveries.inc({ subscriber: subscriber.name });
      log.info({ eventId: data.eventId, subscriber: subscriber.name, type: data.type, status, attempt: job.attemptsMade + 1 }, 'webhook delivered');
      return { status };
    } catch (err) {
      const result = err instanceof DeliveryError ? err.result : 'network_error';
      webhookAttempts.inc({ subscriber: subscriber.name, result });
      log.warn({ eventId: data.eventId, subscriber: subscriber.name, attempt: job.attemptsMade + 1, reason: (err as Error).message }, 'webhook attempt failed');
      throw err;
    }
  }

  const worker = new Worker<AlertJobData, { status: number }>(QUEUES.alerts, deliver, {
    connection: deps.connection,
    prefix: deps.prefix,
    concurrency: deps.concurrency ?? 8,
    ...(deps.lockDuration !== undefined ? { lockDuration: deps.lockDuration } : {}),
    ...(deps.stalledInterval !== undefined ? { stalledInterval: deps.stalledInterval } : {}),
    autorun: false,
    settings: {
      backoffStrategy: (attemptsMade: number) => backoffDelay(attemptsMade, backoff),
    },
  });

  worker.on('failed', (job, err) => {
    if (!job) return;
    const attempts = job.opts.attempts ?? 1;
    if (err instanceof UnrecoverableError || err.name === 'UnrecoverableError' || job.attemptsMade >= attempts) {
      webhookFailures.inc({ subscriber: job.data.subscriber });
      log.error({ eventId: job.data.eventId, subscriber: job.data.subscriber, attempts: job.attemptsMade, reason: err.message }, 'webhook delivery failed for good; kept in the failed set');
    }
  });
  worker.on('error', (err) => log.error({ err }, 'webhook worker error'));

  return {
    worker,
    async start(): Promise<void> {
      void worker.run().catch((err) => log.error({ err }, 'webhook worker stopped'));
      await worker.waitUntilReady();
    },
    async stop(graceMs = 25_000): Promise<void> {
      // close() waits for in-flight requests; each is bounded by the request timeout anyway.
      const closing = worker.close();
      const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), graceMs).unref());
      if ((await Promise.race([closing.then(() => 'closed' as const), timer])) === 'timeout') await worker.close(true);
      await lookups.close();
      lookupConnection.disconnect();
    },
  };
}

export type WebhookWorker = ReturnType<typeof createWebhookWorker>;
