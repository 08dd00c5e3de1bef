/** Ordered migrations. Add a file, then its line here; never edit one that has shipped. */
import { sql as foundation } from './001-foundation.js';

export interface Migration {
  id: string;
  sql: string;
}

export const migrations: Migration[] = [{ id: '001-foundation', sql: foundation }];
