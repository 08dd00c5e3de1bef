/**
 * Every region in every case. The oblast and krai forms are derived here from the nominative by the
 * plain textbook endings (independent of the gazetteer's own declension code); short forms,
 * republics, abbreviations and English forms are listed by hand.
 */
import { describe, expect, it } from 'vitest';
import { allRegions, findRegion, regionByCode, scanText, localName } from '../../src/extract/gazetteer/index.js';

/** Russian "X-ая область" in the six cases, with "обл." and the bare adjective. */
function ruOblastForms(nom: string): string[] {
  const m = /^(\S+)ая область$/.exec(nom);
  if (!m) return [];
  const s = m[1] as string;
  const out = [`${s}ая область`, `${s}ой области`, `${s}ую область`, `${s}ой областью`, `${s}ая обл.`, `${s}ой обл.`, `${s}ую обл.`, `${s}ая`, `${s}ой`, `${s}ую`];
  return out;
}

/** Russian "X-ий край" in the six cases. */
function ruKraiForms(nom: string): string[] {
  const m = /^(\S+)ий край$/.exec(nom);
  if (!m) return [];
  const s = m[1] as string;
  return [`${s}ий край`, `${s}ого края`, `${s}ому краю`, `${s}им краем`, `${s}ом крае`];
}

/** Ukrainian "X-а область" in the six cases. */
function ukOblastForms(nom: string): string[] {
  const m = /^(\S+)а область$/.exec(nom);
  if (!m) return [];
  const s = m[1] as string;
  return [`${s}а область`, `${s}ої області`, `${s}ій області`, `${s}у область`, `${s}ою областю`, `${s}а обл.`, `${s}ої обл.`, `${s}ій обл.`, `${s}ої`, `${s}ій`];
}

function englishForms(name: string): string[] {
  const m = /^(.+) (Oblast|Krai)$/.exec(name);
  if (!m) return [name];
  const base = m[1] as string;
  return [name, `${base} region`, `the ${base} Region`, `${base} ${m[2] === 'Krai' ? 'Territory' : 'Province'}`];
}

const generated = allRegions().flatMap((r) =>
  [...ruOblastForms(r.nameRu), ...ruKraiForms(r.nameRu), ...ukOblastForms(r.nameUk), ...englishForms(r.name)].map((form) => ({ form, code: r.code })),
);

const HAND: Array<[string, string[]]> = [
  ['RU-MOS', ['Подмосковье', 'Подмосковья', 'Подмосковью', 'Подмосковьем', 'Московский регион', 'Московского региона', 'Московском регионе', 'Moscow region', 'Moscow Oblast', 'Підмосков\'я']],
  ['RU-LEN', ['Ленобласть', 'Ленобласти', 'Ленобластью', 'Leningrad Region', 'Ленінградщина', 'Ленінградщини']],
  ['RU-KDA', ['Кубань', 'Кубани', 'Кубанью', 'Кубані', 'Krasnodar Territory', 'Krasnodar Krai', 'Krasnodar region', 'Краснодарский край', 'Краснодарського краю']],
  ['RU-BRY', ['Брянщина', 'Брянщины', 'Брянщине', 'Брянщину', 'Брянщиной', 'Брянщині', 'Брянщиною']],
  ['RU-BEL', ['Белгородчина', 'Белгородчины', 'Белгородчине', 'Бєлгородщина', 'Бєлгородщині', 'Білгородщині', 'Бєлгородська область', 'Бєлгородської області', 'Білгородська область', 'Belgorod Region']],
  ['RU-KRS', ['Курщина', 'Курщине', 'Курщині', 'Kursk Oblast', 'Kursk region']],
  ['RU-KLU', ['Калужская область', 'Калужской области', 'Калужская обл.', 'Калужской', 'Kaluga Oblast', 'Kaluga region', 'the Kaluga Region', 'Калузька область', 'Калузькій області', 'Калужщина']],
  ['UA-63', ['Харківщина', 'Харківщини', 'Харківщині', 'Харківщину', 'Харківщиною', 'Харьковщина', 'Харьковщине', 'Kharkiv Oblast', 'Kharkiv region', 'Слобожанщина']],
  ['UA-59', ['Сумщина', 'Сумщини', 'Сумщині', 'Сумщиною', 'Сумщине', 'Сумская область', 'Sumy region']],
  ['UA-74', ['Чернігівщина', 'Чернігівщині', 'Черниговщина', 'Черниговщине']],
  ['UA-12', ['Дніпропетровщина', 'Дніпропетровщиною', 'Днепропетровщина', 'Dnipropetrovsk Oblast', 'Dnipropetrovsk region']],
  ['UA-26', ['Прикарпаття', 'Прикарпатті', 'Прикарпаттям', 'Франківщина', 'Франківщині']],
  ['UA-14', ['ДНР', 'днр', 'Донецкая Народная Республика', 'Донецкой Народной Республики', 'Донеччина', 'Донеччини', 'Донеччині', 'DPR', 'Donetsk Oblast']],
  ['UA-09', ['ЛНР', 'Луганская Народная Республика', 'Луганщина', 'Луганщині', 'LPR', 'Luhansk Oblast']],
  ['UA-43', ['Республика Крым', 'Республики Крым', 'Республике Крым', 'Republic of Crimea', 'Crimea', 'Крым', 'Крыма', 'Крыму', 'Крымом', 'Крим', 'Криму', 'Кримом', 'АРК', 'Автономна Республіка Крим', 'Автономної Республіки Крим', 'Autonomous Republic of Crimea']],
  ['UA-40', ['Севастополь', 'Sevastopol']],
  ['RU-MOW', ['Москва', 'Moscow']],
  ['UA-30', ['Київ', 'Kyiv']],
  ['UA-23', ['Запорізька область', 'Запорізької області', 'Запорожская область', 'Zaporizhzhia Oblast', 'Zaporizhzhia region', 'Zaporozhye region']],
  ['UA-65', ['Херсонщина', 'Херсонщині', 'Херсонщиною', 'Херсонская область', 'Kherson region']],
  ['UA-51', ['Одещина', 'Одещини', 'Одещині', 'Odesa region', 'Odessa region']],
  ['RU-TA', ['Татарстан', 'Татарстана', 'Татарстане', 'Республика Татарстан', 'Republic of Tatarstan', 'Tatarstan']],
  ['RU-BA', ['Башкирия', 'Башкирии', 'Башкортостан', 'Башкортостане', 'Bashkortostan']],
  ['RU-CE', ['Чечня', 'Чечни', 'Чечне', 'Chechnya']],
  ['RU-PRI', ['Приморье', 'Приморья', 'Приморский край', 'Приморском крае', 'Primorsky Krai']],
  ['RU-STA', ['Ставрополье', 'Ставрополья', 'Ставропольский край', 'Stavropol Territory']],
  ['RU-KEM', ['Кузбасс', 'Кузбасса', 'Кузбассе', 'Kuzbass']],
  ['RU-KHM', ['Югра', 'Югры', 'Югре', 'ХМАО']],
  ['RU-SA', ['Якутия', 'Якутии', 'Yakutia']],
  ['RU-ORL', ['Орловщина', 'Орловщине', 'Oryol Oblast', 'Oryol region', 'Orel region']],
  ['RU-ROS', ['Ростовщина', 'Ростовщині', 'Rostov Region']],
  ['RU-VOR', ['Воронежчина', 'Воронежчине', 'Воронезька область', 'Воронезькій області']],
];

const hand = HAND.flatMap(([code, forms]) => forms.map((form) => ({ form, code })));

describe('gazetteer: regions', () => {
  it('knows every Russian federal subject and Ukrainian oblast with three names', () => {
    const regions = allRegions();
    expect(regions.filter((r) => r.country === 'RU')).toHaveLength(83);
    expect(regions.filter((r) => r.country === 'UA')).toHaveLength(27);
    for (const r of regions) {
      expect(r.name.length, r.code).toBeGreaterThan(2);
      expect(r.nameRu, r.code).toMatch(/[а-яё]/i);
      expect(r.nameUk, r.code).toMatch(/[а-яіїєґ]/i);
    }
    expect(regionByCode('UA-43')?.name).toBe('Autonomous Republic of Crimea');
    expect(regionByCode('ua-40')?.nameRu).toBe('Севастополь');
  });

  it('derives at least 500 oblast/krai/English forms to check', () => {
    expect(generated.length).toBeGreaterThanOrEqual(500);
  });

  it.each(generated)('"$form" → $code', ({ form, code }) => {
    expect(findRegion(form)?.code).toBe(code);
  });

  it.each(hand)('short and special form "$form" → $code', ({ form, code }) => {
    expect(findRegion(form)?.code).toBe(code);
  });

  it('finds region forms inside text, with abbreviations and any case', () => {
    const text = 'Над Брянской обл. и над Подмосковьем, а также на Харківщині и в Kaluga region; ДНР.';
    const regions = scanText(text).flatMap((m) => (m.kind === 'region' ? [m.region.code] : []));
    expect(regions).toEqual(['RU-BRY', 'RU-MOS', 'UA-63', 'RU-KLU', 'UA-14']);
  });

  it('names a region in the language of the post', () => {
    const r = regionByCode('RU-KLU');
    expect(r && localName(r, 'ru')).toBe('Калужская область');
    expect(r && localName(r, 'uk')).toBe('Калузька область');
    expect(r && localName(r, 'en')).toBe('Kaluga Oblast');
  });

  it('does not take ordinary words for regions', () => {
    for (const word of ['область', 'регион', 'Republic', 'край', 'район']) expect(findRegion(word)).toBeUndefined();
  });
});
