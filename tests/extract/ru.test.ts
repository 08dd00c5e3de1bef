import { describe, expect, it } from 'vitest';
import { RU } from './fixtures.js';
import { runFixture } from './table.js';

describe('extractor, ru fixtures', () => {
  it.each(RU.map((f) => [f.note ?? f.text.slice(0, 60), f] as const))('%s', (_name, f) => {
    const { records, problems } = runFixture(f);
    expect(problems, JSON.stringify(records.map((r) => [r.region?.code ?? null, r.outcome, r.count, r.places.map((p) => p.nameLocal)]))).toEqual([]);
  });
});
