import type { Db } from './db.js';
import { migrations as all, type Migration } from './migrations/index.js';

/** Applies pending migrations in order, each in its own transaction, under an advisory lock. Idempotent. */
export async function migrate(db: Db, migrations: Migration[] = all): Promise<string[]> {
  const applied: string[] = [];
  await db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock(hashtext($1))', [`dronewire-migrate-${db.schema}`]);
    await tx.query('create table if not exists schema_migrations (id text primary key, applied_at timestamptz not null default now())');
    const done = new Set((await tx.query<{ id: string }>('select id from schema_migrations')).map((r) => r.id));
    for (const m of migrations) {
      if (done.has(m.id)) continue;
      for (const statement of splitStatements(m.sql)) await tx.query(statement);
      await tx.query('insert into schema_migrations (id) values ($1)', [m.id]);
      applied.push(m.id);
    }
  });
  return applied;
}

/**
 * A migration's statements: split at a semicolon that ends a line, except inside a dollar-quoted
 * body (`$tag$ … $tag$`, as a function's), whose statements are the function's own.
 */
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let start = 0;
  let quote: string | null = null;
  const tokens = /\$[A-Za-z_]*\$|;[ \t]*(?:\r?\n|$)/g;
  for (let m = tokens.exec(sql); m; m = tokens.exec(sql)) {
    const token = m[0];
    if (token.startsWith('$')) {
      if (quote === null) quote = token;
      else if (token === quote) quote = null;
    } else if (quote === null) {
      statements.push(sql.slice(start, m.index));
      start = m.index + token.length;
    }
  }
  statements.push(sql.slice(start));
  return statements.map((s) => s.trim()).filter((s) => s.length > 0);
}
