/**
 * The service as the fault suite runs it in a child process: the real startService with the real
 * roles, configured from the environment like workers/run.ts, plus a few test-only timings so that
 * recoveries take seconds instead of the production minutes:
 *
 *   FAULT_LOCK_MS            BullMQ lock of extract and webhook jobs (a killed worker's jobs return after it)
 *   FAULT_EXTRACT_DELAY_MS   each extraction waits this long first (keeps jobs active under load)
 *   FAULT_WEBHOOK_BASE_MS    webhook retry back-off base, FAULT_WEBHOOK_CAP_MS its cap
 *   FAULT_ORDERING_DELAY_MS  how long a delivery waits for the record's earlier event to go first
 *   FAULT_SWEEP_MS           outbox sweep interval
 *
 * Usage: node --import tsx tests/faults/support/service-child.ts extract,alerts
 */
import { loadConfig, secretValues } from '../../../src/config.js';
import { extractPost } from '../../../src/extract/index.js';
import { createLogger } from '../../../src/logger.js';
import { ROLES, startService, type Role } from '../../../src/service.js';

const roles = (process.argv[2] ?? 'extract,alerts').split(',').filter(Boolean) as Role[];
for (const r of roles) if (!(ROLES as readonly string[]).includes(r)) throw new Error(`unknown role ${r}`);

const env = process.env;
const num = (key: string): number | undefined => (env[key] ? Number(env[key]) : undefined);
const config = loadConfig(env);
const logger = createLogger(config, secretValues(config));

const lockMs = num('FAULT_LOCK_MS');
const delayMs = num('FAULT_EXTRACT_DELAY_MS');
const webhookBase = num('FAULT_WEBHOOK_BASE_MS');

const locks = lockMs ? { lockDuration: lockMs, stalledInterval: Math.max(500, Math.floor(lockMs / 2)) } : {};

const extractOptions = {
  ...locks,
  ...(delayMs ? { extract: async (post: Parameters<typeof extractPost>[0]) => (await new Promise((r) => setTimeout(r, delayMs)), extractPost(post)) } : {}),
};

/** The alerts role with the lock, back-off and sweep timings above. */
const alertsOptions = {
  ...locks,
  ...(webhookBase ? { backoff: { baseMs: webhookBase, capMs: num('FAULT_WEBHOOK_CAP_MS') ?? webhookBase * 4 } } : {}),
  ...(num('FAULT_ORDERING_DELAY_MS') ? { orderingDelayMs: num('FAULT_ORDERING_DELAY_MS') } : {}),
  ...(num('FAULT_SWEEP_MS') ? { sweepIntervalMs: num('FAULT_SWEEP_MS') } : {}),
};

try {
  const service = await startService({ config, logger, roles, extractOptions, alertsOptions });
  await service.stopped;
  logger.info({ pid: process.pid }, 'fault child exiting');
  logger.flush();
} catch (err) {
  logger.fatal({ err }, 'fault child could not start');
  logger.flush();
  process.exitCode = 1;
}
