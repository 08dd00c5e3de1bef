/** Ordered migrations. Add a file, then its line here; never edit one that has shipped. */
import { sql as foundation } from './001-foundation.js';
import { sql as postsExtractedBy } from './002-posts-extracted-by.js';
import { sql as eventsByRecord } from './003-events-by-record.js';
import { sql as sources } from './004-sources.js';
import { sql as writeFunctions } from './005-write-functions.js';

export interface Migration {
  id: string;
  sql: string;
}

export const migrations: Migration[] = [
  { id: '001-foundation', sql: foundation },
  { id: '002-posts-extracted-by', sql: postsExtractedBy },
  { id: '003-events-by-record', sql: eventsByRecord },
  { id: '004-sources', sql: sources },
  { id: '005-write-functions', sql: writeFunctions },
];
