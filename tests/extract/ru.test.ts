import { describe, expect, it } from 'vitest';
import { extractPost } from '../../src/extract/index.js';
import { RU, type Fixture } from './fixtures.js';
import { postOf, runFixture } from './table.js';

describe('extractor, ru fixtures', () => {
  it.each(RU.map((f) => [f.note ?? f.text.slice(0, 60), f] as const))('%s', (_name, f) => {
    const { records, problems } = runFixture(f);
    expect(problems, JSON.stringify(records.map((r) => [r.region?.code ?? null, r.outcome, r.count, r.places.map((p) => p.nameLocal)]))).toEqual([]);
  });
});

/** Held-out error patterns (round 3): own wording, other places and numbers. */
const RU_PATTERNS: Fixture[] = [
  {
    note: 'a count-less attack on two towns, then a count broken down over the same towns: the breakdown only',
    lang: 'ru', channel: 'x',
    text: 'Над Рыбинском и Ярославлем отражена атака беспилотников. Уничтожено 5 БПЛА: четыре над Рыбинском, один над Ярославлем.',
    expected: [
      { region: 'RU-YAR', count: 4, outcome: 'destroyed', places: ['Рыбинск'] },
      { region: 'RU-YAR', count: 1, outcome: 'destroyed', places: ['Ярославль'] },
    ],
  },
  {
    note: 'a count ending in 1 with a singular modifier ("41 украинским беспилотником"): the count',
    lang: 'ru', channel: 'x',
    text: 'Над Брянской областью сбит 41 украинский беспилотный летательный аппарат.',
    expected: [{ region: 'RU-BRY', count: 41, outcome: 'destroyed' }],
  },
  {
    note: '"из них N – над X, …" that adds up to the total is a breakdown: the first item is kept, the total is not a record',
    lang: 'ru', channel: 'mod_russia',
    text: 'За минувшие сутки средствами ПВО уничтожены 31 беспилотный летательный аппарат, из них 15 – над территорией Брянской области, 9 – над территорией Орловской области и 7 – над акваторией Азовского моря.',
    expected: [
      { region: 'RU-BRY', count: 15, outcome: 'destroyed' },
      { region: 'RU-ORL', count: 9, outcome: 'destroyed' },
      { region: null, count: 7, outcome: 'destroyed', places: ['Азовское море'] },
    ],
  },
  {
    note: '"в том числе N – над X, M – над Y" covering the total is a breakdown too',
    lang: 'ru', channel: 'mod_russia',
    text: 'Перехвачены и уничтожены 12 украинских БПЛА, в том числе 8 – над территорией Курской области и 4 – над территорией Белгородской области.',
    expected: [
      { region: 'RU-KRS', count: 8, outcome: 'destroyed' },
      { region: 'RU-BEL', count: 4, outcome: 'destroyed' },
    ],
  },
  {
    note: 'a single "из них N" that does not cover the total stays a subset of it',
    lang: 'ru', channel: 'mod_russia',
    text: 'Уничтожены 25 беспилотников, из них 6 – над территорией Московской области.',
    expected: [{ region: null, count: 25, outcome: 'destroyed' }],
  },
  {
    note: 'a count-less repelled attack with places, then the count: one record with the places',
    lang: 'ru', channel: 'vrnguber',
    text: 'Над Россошью и Лискинским районом отражена атака беспилотников, сообщил губернатор Воронежской области. Сбито 7 БПЛА.',
    expected: [{ region: 'RU-VOR', count: 7, outcome: 'destroyed', places: ['Россошь', 'Лискинский район'] }],
  },
  {
    note: 'elliptic "в X — N" after a full clause is another item with its own place',
    lang: 'ru', channel: 'vrnguber',
    text: 'Ночью над Воронежской областью отражена атака. В Лискинском районе уничтожено 5 беспилотников, в Россоши — 3.',
    expected: [
      { region: 'RU-VOR', count: 5, outcome: 'destroyed', places: ['Лискинский район'] },
      { region: 'RU-VOR', count: 3, outcome: 'destroyed', places: ['Россошь'] },
    ],
  },
  {
    note: 'elliptic item with its own drone noun: the place goes to the second count',
    lang: 'ru', channel: 'x',
    text: 'В Белгородском районе сбиты 4 беспилотника, в Валуйках — 2 БПЛА.',
    expected: [
      { region: 'RU-BEL', count: 4, outcome: 'destroyed', places: ['Белгородский район'] },
      { region: 'RU-BEL', count: 2, outcome: 'destroyed', places: ['Валуйки'] },
    ],
  },
  {
    note: 'an ambiguous district name leans to the region of the other places the post names',
    lang: 'ru', channel: 'x',
    text: 'Над Кировским районом уничтожено 3 БПЛА. В Тосно повреждены окна в жилом доме.',
    expected: [{ region: 'RU-LEN', count: 3, outcome: 'destroyed', places: ['Кировский район', 'Тосно'] }],
  },
  {
    note: 'an ambiguous district name takes the channel home region',
    lang: 'ru', channel: 'x', channelRegion: 'RU-KLU',
    text: 'Над Кировским районом ночью сбит беспилотник.',
    expected: [{ region: 'RU-KLU', count: 1, outcome: 'destroyed', places: ['Кировский район'] }],
  },
  {
    note: 'a Russian post names the town in Russian; "один из дронов" is one, in the town\'s region',
    lang: 'ru', channel: 'x',
    text: 'Городец атакован беспилотниками. Один из дронов сбит, обломки упали на пустыре.',
    expected: [
      { region: 'RU-NIZ', count: null, outcome: 'hit', places: ['Городец'] },
      { region: 'RU-NIZ', count: 1, outcome: 'destroyed' },
    ],
  },
  {
    note: '"столица" in a Russian post is Moscow',
    lang: 'ru', channel: 'x',
    text: 'На подлете к столице сбиты 2 беспилотника.',
    expected: [{ region: 'RU-MOW', count: 2, outcome: 'destroyed' }],
  },
  {
    note: '"столица региона" is not Moscow',
    lang: 'ru', channel: 'x',
    text: 'Над столицей региона сбиты 2 беспилотника.',
    expected: [{ region: null, count: 2, outcome: 'destroyed' }],
  },
];

describe('extractor, ru held-out patterns', () => {
  it.each(RU_PATTERNS.map((f) => [f.note ?? f.text.slice(0, 60), f] as const))('%s', (_name, f) => {
    const { records, problems } = runFixture(f);
    expect(problems, JSON.stringify(records.map((r) => [r.region?.code ?? null, r.outcome, r.count, r.places.map((p) => p.nameLocal)]))).toEqual([]);
  });
  it('gives the Russian spelling of a town GeoNames spells the Ukrainian way', () => {
    const [r] = extractPost(postOf({ lang: 'ru', text: 'Над Торопцом сбит беспилотник.' }));
    expect(r?.places.map((p) => p.nameLocal)).toEqual(['Торопец']);
    const [u] = extractPost(postOf({ lang: 'uk', text: 'Над Торопцем збито безпілотник.' }));
    expect(u?.places.map((p) => p.nameLocal)).toEqual(['Торопець']);
  });
});
