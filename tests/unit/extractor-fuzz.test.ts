/**
 * A smaller run of scripts/fuzz-extractor.ts (the script runs a million): seeded random and mutated
 * posts, and a few hand-made hostile ones, through extractPost — no exception, well-formed records
 * (ids in order, counts storable, outcomes known, JSON-safe), none slower than 50 ms.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Post } from '../../src/domain/post.js';
import { DEFAULT_MAX_MS, DEFAULT_SEED, describePost, fuzzOne, runFuzz } from '../../scripts/fuzz-extractor.js';
import { hugeText, NASTY_CHARS, SEED_TEXTS } from '../helpers/hostile-inputs.js';

function post(text: string, extra: Partial<Post> = {}): Post {
  return { id: 'fuzz_unit/1', channel: 'fuzz_unit', messageId: 1, date: '2026-11-20T10:00:00.000Z', text, ...extra };
}

describe('extractor fuzzing (small run)', () => {
  it('extracts 3,000 seeded random and mutated posts without a fault', () => {
    const { stats, details, violations } = runFuzz({ runs: 3_000, seed: DEFAULT_SEED, maxMs: DEFAULT_MAX_MS, huge: false, shrink: false, keepGoing: true });
    const report = violations.map((v) => `${v.count} × ${v.first.message}\n  first: ${describePost(v.first.post).slice(0, 600)}`).join('\n');
    expect(details.failed, String(details.errorInstance)).toBe(false);
    expect(report).toBe('');
    expect(stats.runs).toBe(3_000);
    // The generators reach the rules: a good share of inputs make records.
    expect(stats.records).toBeGreaterThan(500);
  }, 120_000);

  it('bounds its work on texts far longer than any post (up to 300,000 UTF-16 units)', () => {
    const texts = fc.sample(hugeText, { numRuns: 25, seed: DEFAULT_SEED });
    for (const text of texts) fuzzOne(post(text), DEFAULT_MAX_MS);
    fuzzOne(post(SEED_TEXTS[0]!.repeat(40_000)), DEFAULT_MAX_MS); // about 8 MB
  }, 120_000);

  it('takes lone surrogates, controls, bidi marks and huge numbers in its stride', () => {
    const report = SEED_TEXTS[0]!;
    const cases = [
      '\ud800\udc00\ud800 беспилотник \udfff сбит',
      `${'\u202e'}${report}${'\u202c'}`,
      report.replace(/ /g, '\u0000'),
      report.replace(/(\d+)/g, '$1\u200f'),
      report.replace(/\d+/g, '9007199254740993'),
      report.replace(/\d+/g, '1e308'),
      NASTY_CHARS.join(' '),
      NASTY_CHARS.join(''),
      '',
      ' ',
      '1'.repeat(5_000),
      '1 '.repeat(4_000),
      '- '.repeat(4_000),
      'беспилотник '.repeat(2_000),
    ];
    for (const text of cases) {
      for (const lang of ['ru', 'uk', 'en', undefined] as const) {
        const { records } = fuzzOne(post(text, lang ? { lang } : {}), DEFAULT_MAX_MS);
        for (const r of records) expect(r.count === null || Number.isSafeInteger(r.count)).toBe(true);
      }
    }
  }, 60_000);
});
