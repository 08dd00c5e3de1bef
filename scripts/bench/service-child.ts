/**
 * The service for the latency section: every role in one process (startService, as `start` runs
 * it), the listener reading the local fake t.me/s with the real web source and poll worker.
 *
 * The bench sets WEB_REQUEST_GAP_MS=0: the web source's politeness gap between two requests to the
 * host (1 s on average by default, a courtesy to t.me) would let one host serve at most one
 * 20-post page a second, so a publisher at 100 posts/s over 10 channels could not be followed at
 * all; the gap measures t.me's patience, not dronewire's pipeline.
 *
 *   <settings in the environment> node --import tsx scripts/bench/service-child.ts
 */
import { loadConfig, secretValues } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { ROLES, startService } from '../../src/service.js';

const config = loadConfig();
const logger = createLogger(config, secretValues(config));

const service = await startService({ config, logger, roles: [...ROLES] });
await service.stopped;
