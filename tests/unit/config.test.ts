import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS, ConfigError, loadConfig } from '../../src/config.js';

const EXAMPLE = new URL('../../.env.example', import.meta.url);

interface ExampleEntry {
  key: string;
  value: string;
  line: number;
  commented: boolean;
}

/** KEY=value lines of .env.example, noting whether a comment line describes each. */
function parseExample(text: string): ExampleEntry[] {
  const lines = text.split(/\r?\n/);
  const entries: ExampleEntry[] = [];
  lines.forEach((raw, i) => {
    const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(raw.trim());
    if (!m) return;
    const previous = (lines[i - 1] ?? '').trim();
    entries.push({ key: m[1]!, value: m[2]!, line: i + 1, commented: previous.startsWith('#') && previous.length > 2 });
  });
  return entries;
}

/** Every way .env.example and the schema disagree, so that one run shows all of them. */
export function exampleProblems(text: string, schemaKeys: readonly string[]): string[] {
  const entries = parseExample(text);
  const problems: string[] = [];
  const inExample = new Map<string, ExampleEntry>();
  for (const e of entries) {
    if (inExample.has(e.key)) problems.push(`${e.key} is listed twice in .env.example (line ${e.line})`);
    inExample.set(e.key, e);
  }
  for (const key of schemaKeys) if (!inExample.has(key)) problems.push(`${key} is in src/config.ts but missing from .env.example`);
  for (const e of entries) {
    if (!schemaKeys.includes(e.key)) problems.push(`${e.key} (line ${e.line}) is in .env.example but not in src/config.ts`);
    if (!e.commented) problems.push(`${e.key} (line ${e.line}) has no comment line above it`);
  }
  try {
    loadConfig(Object.fromEntries(entries.map((e) => [e.key, e.value])));
  } catch (err) {
    if (err instanceof ConfigError) problems.push(...err.problems.map((p) => `.env.example value does not validate: ${p}`));
    else throw err;
  }
  return problems;
}

describe('.env.example', () => {
  it('lists every setting of the schema, each with a comment and a valid example value', () => {
    const problems = exampleProblems(readFileSync(EXAMPLE, 'utf8'), CONFIG_KEYS);
    // One assertion with every problem: a drift shows all its keys at once.
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('reports every kind of drift at once', () => {
    const text = ['# redis', 'REDIS_URL=redis://x:1', 'EXTRA_KEY=1', '# dup', 'REDIS_URL=redis://y:1', 'HTTP_PORT=not-a-number'].join('\n');
    const problems = exampleProblems(text, ['REDIS_URL', 'HTTP_PORT', 'DATA_DIR']);
    expect(problems).toEqual(
      expect.arrayContaining([
        'REDIS_URL is listed twice in .env.example (line 5)',
        'DATA_DIR is in src/config.ts but missing from .env.example',
        'EXTRA_KEY (line 3) is in .env.example but not in src/config.ts',
        'EXTRA_KEY (line 3) has no comment line above it',
        'HTTP_PORT (line 6) has no comment line above it',
      ]),
    );
    expect(problems.some((p) => p.startsWith('.env.example value does not validate: HTTP_PORT'))).toBe(true);
  });
});

describe('loadConfig', () => {
  it('applies the contract defaults', () => {
    const c = loadConfig({});
    expect(c.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(c.DATA_DIR).toBe('./data');
    expect(c.QUEUE_PREFIX).toBe('dronewire');
    expect(c.DATABASE_URL).toBeUndefined();
  });

  it('reports all problems in one error', () => {
    let error: unknown;
    try {
      loadConfig({ HTTP_PORT: '99999', REDIS_URL: 'not a url', TELEGRAM_SOURCE: 'carrier-pigeon', WORKER_CONCURRENCY: '0' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    for (const key of ['HTTP_PORT', 'REDIS_URL', 'TELEGRAM_SOURCE', 'WORKER_CONCURRENCY']) {
      expect(problems.some((p) => p.startsWith(`${key}:`)), `${key} in ${problems.join(' | ')}`).toBe(true);
    }
  });

  it('checks settings that depend on each other', () => {
    expect(() => loadConfig({ WEBHOOK_URL: 'https://example.org/hook' })).toThrow(/WEBHOOK_SECRET: required when WEBHOOK_URL is set/);
  });

  it('reports settings that depend on each other together with invalid fields', () => {
    let error: unknown;
    try {
      loadConfig({ HTTP_PORT: 'x', WEBHOOK_URL: 'https://example.org/hook', TELEGRAM_SOURCE: 'mtproto' });
    } catch (err) {
      error = err;
    }
    const problems = (error as ConfigError).problems;
    expect(problems.some((p) => p.startsWith('HTTP_PORT:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('WEBHOOK_SECRET: required'))).toBe(true);
    expect(problems.some((p) => p.includes('TELEGRAM_API_HASH are required'))).toBe(true);
  });
});
