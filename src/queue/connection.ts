/**
 * Redis connections. Workers block on Redis and must wait out a restart (maxRetriesPerRequest: null);
 * producers fail fast so that an HTTP request or a CLI command gets an error instead of hanging.
 */
import { Redis, type RedisOptions } from 'ioredis';

const common: RedisOptions = {
  // Reconnect forever with a capped back-off; a Redis restart must not stop a worker.
  retryStrategy: (times) => Math.min(200 * 2 ** Math.min(times, 6), 5_000),
  lazyConnect: false,
};

export function createWorkerConnection(url: string, name = 'dronewire-worker'): Redis {
  return new Redis(url, { ...common, connectionName: name, maxRetriesPerRequest: null, enableReadyCheck: true });
}

export function createProducerConnection(url: string, name = 'dronewire-producer'): Redis {
  return new Redis(url, { ...common, connectionName: name, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 5_000 });
}

/** Resolves once a connection is ready, or rejects after timeoutMs. */
export async function waitReady(redis: Redis, timeoutMs = 5_000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`Redis not reachable within ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const cleanup = () => {
      clearTimeout(timer);
      redis.off('ready', onReady);
    };
    redis.on('ready', onReady);
  });
}

/**
 * Removes every key under a prefix (queues, streams, markers): SCAN, not KEYS, and UNLINK, so that
 * a shared Redis is never blocked. Returns how many keys were removed.
 */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}
