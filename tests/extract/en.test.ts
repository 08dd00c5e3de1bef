import { describe, expect, it } from 'vitest';
import { EN, type Fixture } from './fixtures.js';
import { runFixture } from './table.js';

describe('extractor, en fixtures', () => {
  it.each(EN.map((f) => [f.note ?? f.text.slice(0, 60), f] as const))('%s', (_name, f) => {
    const { records, problems } = runFixture(f);
    expect(problems, JSON.stringify(records.map((r) => [r.region?.code ?? null, r.outcome, r.count, r.places.map((p) => p.nameLocal)]))).toEqual([]);
  });
});

/** Held-out error patterns (round 3): own wording, other places and numbers. */
const EN_PATTERNS: Fixture[] = [
  {
    note: 'a list of region names under one plural noun: each place is the region, by its name',
    lang: 'en', channel: 'x',
    text: 'Air defense units shot down 19 Ukrainian drones over the Tula, Oryol and Kaluga regions, the ministry said.',
    expected: [{ region: null, count: 19, outcome: 'destroyed', places: ['Tula Oblast', 'Oryol Oblast', 'Kaluga Oblast'] }],
  },
  {
    note: 'the same list with "oblasts"',
    lang: 'en', channel: 'x',
    text: 'Russia says it downed 9 drones over Belgorod, Voronezh and Lipetsk oblasts.',
    expected: [{ region: null, count: 9, outcome: 'destroyed', places: ['Belgorod Oblast', 'Voronezh Oblast', 'Lipetsk Oblast'] }],
  },
  {
    note: '"attacked Ukraine with N drones" is the launch count',
    lang: 'en', channel: 'x',
    text: 'Russia attacked Ukraine with 64 attack drones overnight. Air defense shot down 50 of them.',
    expected: [
      { region: null, count: 64, outcome: 'launched' },
      { region: null, count: 50, outcome: 'destroyed' },
    ],
  },
  {
    note: 'a count-less attack on a city, then "N drones hit the city": one record with the city',
    lang: 'en', channel: 'x',
    text: 'A Russian drone attack on Zaporizhzhia damaged a school overnight. The governor said 3 drones hit the city.',
    expected: [{ region: 'UA-23', count: 3, outcome: 'hit', places: ['Zaporizhzhia'] }],
  },
];

describe('extractor, en held-out patterns', () => {
  it.each(EN_PATTERNS.map((f) => [f.note ?? f.text.slice(0, 60), f] as const))('%s', (_name, f) => {
    const { records, problems } = runFixture(f);
    expect(problems, JSON.stringify(records.map((r) => [r.region?.code ?? null, r.outcome, r.count, r.places.map((p) => p.nameLocal)]))).toEqual([]);
  });
});
