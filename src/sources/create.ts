/** Builds the source TELEGRAM_SOURCE names. */
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Sql } from '../store/db.js';
import { createFileSource, defaultSourceFile } from './file.js';
import { readSessionFile } from './session-file.js';
import type { Source } from './types.js';
import { createWebSource } from './web.js';

export async function createSource(config: Config, deps: { db: Sql; logger: Logger }): Promise<Source> {
  const logger = deps.logger.child({ source: config.TELEGRAM_SOURCE });
  switch (config.TELEGRAM_SOURCE) {
    case 'web':
      return createWebSource({ baseUrl: config.TELEGRAM_WEB_BASE_URL, logger, requestGapMs: config.WEB_REQUEST_GAP_MS });
    case 'mtproto': {
      if (!config.TELEGRAM_API_ID || !config.TELEGRAM_API_HASH) throw new Error('TELEGRAM_API_ID and TELEGRAM_API_HASH are required with TELEGRAM_SOURCE=mtproto');
      const { session, warning } = readSessionFile(config.TELEGRAM_SESSION_FILE);
      if (warning) logger.warn(warning);
      // gramjs (34 MB of memory once loaded) only where an MTProto source runs: not in workers,
      // nor in a listener reading the web preview.
      const [{ createTelegramGateway }, { createMtprotoSource }] = await Promise.all([import('./telegram-client.js'), import('./mtproto.js')]);
      const gateway = createTelegramGateway({ apiId: config.TELEGRAM_API_ID, apiHash: config.TELEGRAM_API_HASH, session, logger });
      return createMtprotoSource({ gateway, db: deps.db, logger });
    }
    case 'file':
      return createFileSource(config.SOURCE_FILE ?? defaultSourceFile());
  }
}
