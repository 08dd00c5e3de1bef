import { describe, expect, it } from 'vitest';
import { UK, type Fixture } from './fixtures.js';
import { runFixture } from './table.js';

describe('extractor, uk fixtures', () => {
  it.each(UK.map((f) => [f.note ?? f.text.slice(0, 60), f] as const))('%s', (_name, f) => {
    const { records, problems } = runFixture(f);
    expect(problems, JSON.stringify(records.map((r) => [r.region?.code ?? null, r.outcome, r.count, r.places.map((p) => p.nameLocal)]))).toEqual([]);
  });
});

/** Held-out error patterns (round 3): own wording, other places and numbers. */
const UK_PATTERNS: Fixture[] = [
  {
    note: 'a city named in a sentence with no drone sets the region of the strike told after it',
    lang: 'uk', channel: 'x',
    text: 'Окупанти знову вдарили по Запоріжжю. Пошкоджено склад. За даними ОВА, удару завдано трьома БпЛА.',
    expected: [{ region: 'UA-23', count: 3, outcome: 'hit', places: ['Запоріжжя'] }],
  },
  {
    note: 'a count ending in 1 takes a singular modifier ("81 ударним БпЛА"): the count, not a singular drone',
    lang: 'uk', channel: 'x',
    text: 'Уночі противник атакував Україну 81 ударним БпЛА типу Shahed.',
    expected: [{ region: null, count: 81, outcome: 'launched' }],
  },
  {
    note: '"столиця" in a Ukrainian post is Kyiv',
    lang: 'uk', channel: 'x',
    text: 'Над столицею сили ППО збили 6 ворожих дронів.',
    expected: [{ region: 'UA-30', count: 6, outcome: 'destroyed' }],
  },
  {
    note: '"столиця Росії" in a Ukrainian post is Moscow',
    lang: 'uk', channel: 'x',
    text: 'На підльоті до столиці Росії збито 3 безпілотники.',
    expected: [{ region: 'RU-MOW', count: 3, outcome: 'destroyed' }],
  },
  {
    note: 'elliptic "на X — N" after a full clause is another item in its own region',
    lang: 'uk', channel: 'x',
    text: 'На Полтавщині збито 5 БпЛА, на Черкащині — 2.',
    expected: [
      { region: 'UA-53', count: 5, outcome: 'destroyed' },
      { region: 'UA-71', count: 2, outcome: 'destroyed' },
    ],
  },
  {
    note: 'a count-less strike on a city, then the count of the same strike: one record',
    lang: 'uk', channel: 'x',
    text: 'Ворог атакував Суми ударними дронами вночі. За словами мера, у місто влучили 3 шахеди.',
    expected: [{ region: 'UA-59', count: 3, outcome: 'hit', places: ['Суми'] }],
  },
];

describe('extractor, uk held-out patterns', () => {
  it.each(UK_PATTERNS.map((f) => [f.note ?? f.text.slice(0, 60), f] as const))('%s', (_name, f) => {
    const { records, problems } = runFixture(f);
    expect(problems, JSON.stringify(records.map((r) => [r.region?.code ?? null, r.outcome, r.count, r.places.map((p) => p.nameLocal)]))).toEqual([]);
  });
});
