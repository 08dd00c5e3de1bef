/**
 * The service: builds the shared dependencies once (store, queues, Redis connections) and runs the
 * requested roles. One process may run all roles (`start`), or one each (`start --role extract`).
 * Shutdown on SIGINT/SIGTERM runs in the order of STYLE.md: stop polling, drain workers, close
 * queues, close Redis, close the store.
 */
import type { Redis } from 'ioredis';
import { createAlerter, type AlerterDeps } from './alerts/index.js';
import type { Config } from './config.js';
import { limitHeapGrowth } from './heap.js';
import type { Logger } from './logger.js';
import { createWorkerConnection } from './queue/connection.js';
import { createExtractWorker, type ExtractWorkerOptions } from './queue/extract-worker.js';
import { createQueues, isDrained, queueStatus, type Queues, type QueueStatus } from './queue/queues.js';
import { createHttpServer } from './http/server.js';
import { createFileListener, defaultSourceFile, type FileListenerReport } from './sources/file.js';
import { createListener } from './sources/listener.js';
import { channelHealth, type ChannelHealth } from './store/channels.js';
import {
  claimEmbeddedStore,
  openStore,
  releaseEmbeddedStore,
  updateServiceInfo,
  type FailedPost,
  type IncidentChange,
  type ServiceInfo,
  type Store,
  type StoreStats,
} from './store/index.js';

export const ROLES = ['listener', 'extract', 'alerts', 'http'] as const;
export type Role = (typeof ROLES)[number];

/** In-process fan-out of committed changes (extract worker → alerts publisher). */
export interface ChangeBus {
  emit(changes: IncidentChange[]): void;
  subscribe(fn: (changes: IncidentChange[]) => void): () => void;
}

export interface ServiceDeps {
  config: Config;
  logger: Logger;
  store: Store;
  queues: Queues;
  roles: readonly Role[];
  /** A new worker connection (maxRetriesPerRequest: null); closed by the service at shutdown. */
  workerConnection(name: string): Redis;
  changes: ChangeBus;
  /** Queue counts, failed jobs, channel cursors, store size. */
  status(): Promise<ServiceStatus>;
}

export interface RoleHandle {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export type RoleFactory = (deps: ServiceDeps) => RoleHandle | Promise<RoleHandle>;

/** Per channel: cursor and health (src/store/channels.ts). */
export type ChannelStatus = ChannelHealth;

export interface ServiceStatus {
  generatedAt: string;
  store: StoreStats;
  queues: QueueStatus[];
  /** Set when Redis could not be asked; the store part is still reported. */
  queuesError?: string;
  failedPosts: Array<Omit<FailedPost, 'payload'> & { payload: string }>;
  channels: ChannelStatus[];
  service?: ServiceInfo | null;
}


/** Everything `status` shows; Redis being away does not hide the store's part. */
export async function collectStatus(store: Store, queues: Queues | null, queuesError?: string): Promise<ServiceStatus> {
  const [stats, failures, channels] = await Promise.all([store.stats(), store.listFailures({ limit: 20 }), channelHealth(store.db)]);
  const status: ServiceStatus = {
    generatedAt: new Date().toISOString(),
    store: stats,
    queues: [],
    failedPosts: failures.map((f) => ({ ...f, payload: f.payload.length > 300 ? `${f.payload.slice(0, 300)}…` : f.payload })),
    channels,
  };
  if (queues) {
    try {
      status.queues = await Promise.all([queueStatus(queues.posts), queueStatus(queues.alerts), queueStatus(queues.polls)]);
    } catch (err) {
      status.queuesError = err instanceof Error ? err.message : String(err);
    }
  } else if (queuesError) {
    status.queuesError = queuesError;
  }
  return status;
}

function createChangeBus(logger: Logger): ChangeBus {
  const subscribers = new Set<(changes: IncidentChange[]) => void>();
  return {
    emit(changes) {
      for (const fn of subscribers) {
        try {
          fn(changes);
        } catch (err) {
          logger.warn({ err }, 'a change subscriber failed');
        }
      }
    },
    subscribe(fn) {
      subscribers.add(fn);
      return () => subscribers.delete(fn);
    },
  };
}

export interface StartServiceOptions {
  config: Config;
  logger: Logger;
  roles: readonly Role[];
  /** Replace role factories (tests). */
  factories?: Partial<Record<Role, RoleFactory>>;
  /** Extra options for the extract worker (tests lower the lock duration). */
  extractOptions?: Partial<ExtractWorkerOptions>;
  /** Extra options for the alerter (tests shorten back-off and sweep timings). */
  alertsOptions?: Partial<Omit<AlerterDeps, 'config' | 'logger' | 'store' | 'queues'>>;
  /** Install SIGINT/SIGTERM handlers (default true). */
  handleSignals?: boolean;
}

export interface RunningService {
  deps: ServiceDeps;
  /** The port the HTTP role listens on, when it runs. */
  httpPort: number | null;
  /** With the file source: resolves once the file has been read and queued. */
  listenerDone: Promise<FileListenerReport | void>;
  /** True when the posts queue has nothing waiting, delayed or running. */
  isIdle(): Promise<boolean>;
  stop(reason?: string): Promise<void>;
  /** Resolves when the service has stopped (after a signal or stop()). */
  readonly stopped: Promise<void>;
}

/** Of the grace period, what stays for closing queues, Redis and the store after the workers drain. */
const CLOSE_RESERVE_MS = 1_000;

/** How long workers may drain running jobs on shutdown so that the process still exits within graceMs. */
export function drainBudgetMs(graceMs: number): number {
  return Math.max(Math.floor(graceMs / 2), graceMs - CLOSE_RESERVE_MS);
}

/** A signal repeated within this time of the first is the same shutdown request (see onSignal). */
const REPEATED_SIGNAL_MS = 1_000;

/** Exits once the logger has written what it holds (bounded: a stuck destination does not block the exit). */
function exitAfterFlush(logger: Logger, code: number): void {
  setTimeout(() => process.exit(code), 500).unref();
  logger.flush(() => process.exit(code));
}

function extractRole(deps: ServiceDeps, extra: Partial<ExtractWorkerOptions>): RoleHandle {
  const worker = createExtractWorker({
    connection: deps.workerConnection('dronewire-extract'),
    prefix: deps.config.QUEUE_PREFIX,
    store: deps.store,
    logger: deps.logger,
    concurrency: deps.config.WORKER_CONCURRENCY,
    graceMs: drainBudgetMs(deps.config.SHUTDOWN_GRACE_MS),
    onChanges: (changes) => deps.changes.emit(changes),
    ...extra,
  });
  return { start: () => worker.start(), stop: () => worker.stop() };
}

function alertsRole(deps: ServiceDeps, options: StartServiceOptions['alertsOptions'] = {}): RoleHandle {
  const alerter = createAlerter({
    ...options,
    config: deps.config,
    logger: deps.logger,
    store: deps.store,
    queues: deps.queues,
    // An extract role in this process reports its changes through the change bus; reading every
    // post job's completion back from Redis as well would only repeat that, at a cost per job.
    watchExtractions: options.watchExtractions ?? !deps.roles.includes('extract'),
  });
  let unsubscribe: (() => void) | undefined;
  return {
    async start() {
      unsubscribe = deps.changes.subscribe((changes) => alerter.onChanges(changes));
      await alerter.start();
    },
    async stop() {
      unsubscribe?.();
      await alerter.stop();
    },
  };
}

/** Starts the roles; resolves once they all run. */
export async function startService(options: StartServiceOptions): Promise<RunningService> {
  const { config, logger } = options;
  limitHeapGrowth();
  const roles = [...new Set(options.roles)];
  const log = logger.child({ component: 'service' });
  const embedded = !config.DATABASE_URL;

  // The embedded store admits one process: claim it before opening it (a clear error otherwise).
  let info: ServiceInfo | null = null;
  if (embedded) info = claimEmbeddedStore(config.DATA_DIR, { httpPort: null, httpHost: config.HTTP_HOST, roles: [...roles] });

  const connections: Redis[] = [];
  let store: Store | undefined;
  let queues: Queues | undefined;
  const handles: Array<{ role: Role; handle: RoleHandle }> = [];

  async function closeResources(): Promise<void> {
    if (queues) await queues.close().catch((err: unknown) => log.warn({ err }, 'closing queues failed'));
    await Promise.allSettled(connections.map((c) => c.quit().catch(() => c.disconnect())));
    if (store) await store.close().catch((err: unknown) => log.warn({ err }, 'closing the store failed'));
    if (embedded) releaseEmbeddedStore(config.DATA_DIR);
  }

  let fileListenerDone: Promise<FileListenerReport | void> = Promise.resolve();
  let deps: ServiceDeps;
  try {
    store = await openStore(config);
    queues = await createQueues({ redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX });
    const openedStore = store;
    const openedQueues = queues;
    deps = {
      config,
      logger,
      store: openedStore,
      queues: openedQueues,
      roles,
      workerConnection(name) {
        const c = createWorkerConnection(config.REDIS_URL, name);
        c.on('error', (err) => log.warn({ err: { message: err.message }, connection: name }, 'Redis connection error'));
        connections.push(c);
        return c;
      },
      changes: createChangeBus(log),
      status: () => collectStatus(openedStore, openedQueues),
    };

    const factories: Record<Role, RoleFactory> = {
      http: (d) => createHttpServer(d),
      extract: (d) => extractRole(d, options.extractOptions ?? {}),
      alerts: (d) => alertsRole(d, options.alertsOptions),
      listener: (d) => {
        if (d.config.TELEGRAM_SOURCE === 'file') {
          const listener = createFileListener({ path: d.config.SOURCE_FILE ?? defaultSourceFile(), store: d.store, queues: d.queues, logger: d.logger });
          fileListenerDone = listener.done;
          return listener;
        }
        return createListener({
          config: d.config,
          logger: d.logger,
          store: d.store,
          queues: d.queues,
          connection: d.workerConnection('dronewire-listener'),
          // deletions retract records: the alerts publisher hears of it like of an extraction
          onChanges: (changes) => d.changes.emit(changes),
          graceMs: d.config.SHUTDOWN_GRACE_MS,
        });
      },
      ...options.factories,
    };

    // Start order: HTTP first (health while starting), workers, then the listener that feeds them.
    const startOrder: Role[] = ['http', 'extract', 'alerts', 'listener'];
    for (const role of startOrder) {
      if (!roles.includes(role)) continue;
      const handle = await factories[role](deps);
      handles.push({ role, handle });
      await handle.start();
    }
  } catch (err) {
    for (const { handle } of handles.reverse()) await handle.stop().catch(() => undefined);
    await closeResources();
    throw err;
  }

  const http = handles.find((h) => h.role === 'http')?.handle as (RoleHandle & { port?(): number }) | undefined;
  const httpPort = http?.port?.() ?? null;
  if (info) {
    info = { ...info, httpPort };
    updateServiceInfo(config.DATA_DIR, info);
  }
  log.info({ roles, store: deps.store.kind, httpPort, prefix: config.QUEUE_PREFIX }, 'dronewire started');

  let resolveStopped!: () => void;
  const stopped = new Promise<void>((r) => (resolveStopped = r));
  let stopping: Promise<void> | null = null;

  const stop = (reason = 'stop requested'): Promise<void> => {
    stopping ??= (async () => {
      log.info({ reason }, 'shutting down');
      // listener (stop polling) → http → extract (drain) → alerts (publish what is left)
      const stopOrder: Role[] = ['listener', 'http', 'extract', 'alerts'];
      for (const role of stopOrder) {
        for (const { handle } of handles.filter((h) => h.role === role)) {
          await handle.stop().catch((err: unknown) => log.error({ err, role }, 'stopping a role failed'));
        }
      }
      await closeResources();
      log.info('dronewire stopped');
      resolveStopped();
    })();
    return stopping;
  };

  if (options.handleSignals !== false) {
    let firstSignalAt: number | undefined;
    const onSignal = (signal: NodeJS.Signals) => {
      if (firstSignalAt !== undefined) {
        // Ctrl-C or a group kill reaches every process of `npm start` (npm, sh, node), and npm
        // passes it on once more: a repeat within a second is the same request, not an operator
        // insisting.
        if (Date.now() - firstSignalAt < REPEATED_SIGNAL_MS) {
          log.debug({ signal }, 'signal repeated: already stopping');
          return;
        }
        log.warn({ signal }, 'second signal: exiting now');
        process.exit(130);
      }
      firstSignalAt = Date.now();
      // The whole shutdown fits in SHUTDOWN_GRACE_MS (an orchestrator kills after it anyway): a
      // role that hangs (a stuck query, a slow webhook) cannot hold the process past it. Jobs still
      // running then keep their lock until it expires and another worker takes them over.
      const deadline = setTimeout(() => {
        log.error({ signal, graceMs: config.SHUTDOWN_GRACE_MS }, 'shutdown overran the grace period: exiting now; running jobs are left to another worker');
        exitAfterFlush(logger, 1);
      }, config.SHUTDOWN_GRACE_MS);
      deadline.unref();
      // Once stopped, exit: jobs abandoned at the grace limit still hold timers (their own work,
      // BullMQ's lock renewal) that would keep the process alive until they end.
      void stop(signal).then(() => exitAfterFlush(logger, typeof process.exitCode === 'number' ? process.exitCode : 0));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    void stopped.then(() => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    });
  }

  return {
    deps,
    httpPort,
    listenerDone: fileListenerDone,
    isIdle: () => isDrained(deps.queues.posts),
    stop,
    stopped,
  };
}
