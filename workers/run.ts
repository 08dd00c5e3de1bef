/** Shared body of the worker entry points: configuration, logger, service, exit status. */
import { ConfigError, loadConfig, secretValues } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { startService, type Role } from '../src/service.js';

export async function runEntryPoint(roles: Role[]): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    process.stderr.write(`${err instanceof ConfigError ? err.message : String(err)}\n`);
    process.exit(2);
  }
  const logger = createLogger(config, secretValues(config));
  try {
    const service = await startService({ config, logger, roles });
    await service.stopped;
  } catch (err) {
    logger.fatal({ err }, 'dronewire could not start');
    logger.flush();
    process.exitCode = 1;
  }
}
