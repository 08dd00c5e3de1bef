/**
 * scanText on whole sentences: which spans are found, in which order, with which best entry; how
 * context decides between namesakes; which common words are left alone. Fixtures are written for
 * these tests (they imitate the channels' formats, they are not copied posts).
 */
import { describe, expect, it } from 'vitest';
import { scanText, resolve, localName, type Mention, type ResolveContext } from '../../src/extract/gazetteer/index.js';
import { normalizeKey } from '../../src/extract/gazetteer/normalize.js';
import { translitRu, translitUk } from '../../src/extract/gazetteer/translit.js';

/** A compact view of a mention: surface → region code, or surface → best entry key. */
function view(m: Mention): string {
  return m.kind === 'region' ? `${m.surface} → ${m.region.code}` : `${m.surface} → ${m.candidates[0]?.place.key}`;
}

function scan(text: string, ctx?: ResolveContext): string[] {
  return scanText(text, ctx).map(view);
}

const SENTENCES: Array<[string, string, ResolveContext | undefined, string[]]> = [
  ['ru governor, towns in cases + region',
    'Ночью над Малоярославцем, Кировом и Боровском Калужской области сбиты три беспилотника.', undefined,
    ['Малоярославцем → gn:530849', 'Кировом → gn:548410', 'Боровском → gn:572070', 'Калужской области → RU-KLU']],
  ['ru ministry list of regions and a sea',
    'Уничтожены 20 БПЛА: 8 – над территорией Брянской области, 7 – над Курской областью и 5 – над акваторией Азовского моря.', undefined,
    ['Брянской области → RU-BRY', 'Курской областью → RU-KRS', 'Азовского моря → sup:sea-of-azov']],
  ['uk Air Force launch areas after a colon, commas and "та"',
    'Противник атакував ударними БпЛА з напрямків: Курськ, Орел, Міллерово, Приморсько-Ахтарськ та мис Чауда.', undefined,
    ['Курськ → gn:538560', 'Орел → gn:515012', 'Міллерово → gn:526558', 'Приморсько-Ахтарськ → gn:505259', 'мис Чауда → sup:cape-chauda']],
  ['uk city with a city district in the locative',
    'Над Запоріжжям збито два дрони, уламки впали у Вознесенівському районі.', undefined,
    ['Запоріжжям → gn:687700', 'Вознесенівському районі → sup:district-ua-23-zaporizhzhia-voznesenivskyi']],
  ['ru coordinated districts sharing one plural head',
    'Беспилотники сбиты над Лискинским, Россошанским и Кантемировским районами.', { channelRegion: 'RU-VOR' },
    ['Лискинским → sup:district-ru-vor-liskinskiy', 'Россошанским → sup:district-ru-vor-rossoshanskiy', 'Кантемировским районами → sup:district-ru-vor-kantemirovskiy']],
  ['en coordinated districts',
    'Drones were downed over the Kamensky, Millerovsky and Chertkovsky districts, the Rostov Region governor said.', undefined,
    ['Kamensky → sup:district-ru-ros-kamenskiy', 'Millerovsky → sup:district-ru-ros-millerovskiy', 'Chertkovsky districts → sup:district-ru-ros-chertkovskiy', 'Rostov Region → RU-ROS']],
  ['uk elided head after a district phrase',
    'У Дарницькому районі уламки впали на пустир, у Святошинському — на дах гаража.', { channelRegion: 'UA-30' },
    ['Дарницькому районі → sup:district-ua-30-kyiv-darnytskyi', 'Святошинському → sup:district-ua-30-kyiv-sviatoshynskyi']],
  ['ru namesake decided by the region named later in the text',
    'Атака отражена в Каменске-Шахтинском и Донецке Ростовской области.', undefined,
    ['Каменске-Шахтинском → gn:553399', 'Донецке → gn:565348', 'Ростовской области → RU-ROS']],
  ['uk hromadas coordinated, feminine adjectives',
    'Під обстрілом були Марганецька, Покровська та Червоногригорівська громади Нікопольщини.', { channelRegion: 'UA-12' },
    ['Марганецька → sup:hromada-701855', 'Покровська → sup:hromada-698436', 'Червоногригорівська громади → sup:hromada-710552', 'Нікопольщини → sup:district-ua-12-nikopolskiy']],
  ['en possessive and city district',
    "A drone hit a house in Kharkiv's Saltivskyi district, Kharkiv Oblast officials said.", undefined,
    ['Kharkiv → gn:706483', 'Saltivskyi district → sup:district-ua-63-kharkiv-saltivskyi', 'Kharkiv Oblast → UA-63']],
  ['ru border village with a settlement-type cue and a district with "округ"',
    'В селе Нехотеевка Шебекинского городского округа повреждена ЛЭП.', undefined,
    ['Нехотеевка → sup:nekhoteevka', 'Шебекинского городского округа → sup:district-ru-bel-shebekinskiy']],
  ['ru "г." abbreviation and a plural-only town',
    'Обломки упали в г. Кириши, пострадавших нет.', undefined,
    ['Кириши → gn:548442']],
  ['uk genitive of a town that is also a bare region adjective ("Курська")',
    'Дрони запущені з напрямку Курська; над територіями Брянської та Бєлгородської областей.', undefined,
    ['Курська → gn:538560', 'Брянської → RU-BRY', 'Бєлгородської областей → RU-BEL']],
  ['short region forms in Russian and Ukrainian',
    'Над Подмосковьем и Брянщиной сбиты дроны; на Харківщині та Сумщині оголошено тривогу.', undefined,
    ['Подмосковьем → RU-MOS', 'Брянщиной → RU-BRY', 'Харківщині → UA-63', 'Сумщині → UA-59']],
];

describe('gazetteer: scanText on sentences', () => {
  it.each(SENTENCES)('%s', (_label, text, ctx, expected) => {
    expect(scan(text, ctx)).toEqual(expected);
  });

  it('reports offsets into the text it was given', () => {
    const text = 'Взрывы в Курске и Белгороде.';
    for (const m of scanText(text)) expect(text.slice(m.start, m.end)).toBe(m.surface);
  });

  it('accepts ё and е, curly apostrophes and mixed case alike', () => {
    expect(scan('над Орлом и над Орлом')).toEqual(['Орлом → gn:515012', 'Орлом → gn:515012']);
    expect(scan('у Солом’янському районі')).toEqual(['Солом’янському районі → sup:district-ua-30-kyiv-solomianskyi']);
    expect(scan('Кремёнки и Кременки')).toEqual(['Кремёнки → gn:541235', 'Кременки → gn:541235']);
  });
});

describe('gazetteer: common words that are also place names', () => {
  it('leaves lower-case common words alone without a settlement-type cue', () => {
    expect(scan('звон колоколов был слышен, жуков было много, мир хрупок')).toEqual([]);
    expect(scan('на суми коштів не вистачило')).toEqual([]);
  });

  it('takes them when capitalised away from a sentence start or after a settlement-type cue', () => {
    expect(scan('Обломки упали в Жукове Калужской области.')).toEqual(['Жукове → gn:462792', 'Калужской области → RU-KLU']);
    expect(scan('Пожар в с. Звон потушен.').length).toBe(1);
  });

  it('needs more than a sentence-initial capital', () => {
    expect(scan('Мир не наступил.')).toEqual([]);
    expect(scan('In a statement, officials said nothing.')).toEqual([]);
  });

  it('does not take prepositions for settlement abbreviations, nor nouns in -чина for areas', () => {
    expect(scan('с начала года, мужчина госпитализирован')).toEqual([]);
    expect(scan('Мужчина госпитализирован.')).toEqual([]);
  });

  it('treats names made of ordinary words like common words', () => {
    expect(scan('Зелений гай, поле, річка.')).toEqual([]);
    expect(scan('Обломки упали в Белой Берёзке.')).toEqual(['Белой Берёзке → gn:578172']);
  });

  it('marks mentions with a cue', () => {
    const [inTown, bare] = scanText('Взрыв в г. Курске. Курск спит.').filter((m) => m.kind !== 'region') as Array<Extract<Mention, { cue: boolean }>>;
    expect(inTown?.cue).toBe(true);
    expect(bare?.cue).toBe(false);
  });
});

describe('gazetteer: resolve ranking and explanations', () => {
  it('ranks namesakes by the region context, then the channel, then population', () => {
    expect(resolve('Киров')[0]?.place.region).toBe('RU-KIR');
    expect(resolve('Киров', { regions: ['RU-KLU'] })[0]?.place.region).toBe('RU-KLU');
    expect(resolve('Донецк', { channelRegion: 'RU-ROS' })[0]?.place.region).toBe('RU-ROS');
    expect(resolve('Донецк')[0]?.place.region).toBe('UA-14');
  });

  it('explains its choice', () => {
    const [best] = resolve('Кирове', { regions: ['RU-KLU'] });
    expect(best?.why).toEqual(['case form', 'region agrees RU-KLU (context)', 'population 39k']);
    const [exact] = resolve('Kirov');
    expect(exact?.why[0]).toBe('exact form');
  });

  it('returns nothing for unknown spans and keeps scores ordered', () => {
    expect(resolve('Qwertyuiopgrad')).toEqual([]);
    const list = resolve('Гвардейское');
    for (let i = 1; i < list.length; i++) expect(list[i - 1]!.score).toBeGreaterThanOrEqual(list[i]!.score);
  });

  it('gives every settlement its Russian and Ukrainian nominative', () => {
    const kharkiv = resolve('Харкові')[0]?.place;
    expect(kharkiv && [kharkiv.name, localName(kharkiv, 'ru'), localName(kharkiv, 'uk')]).toEqual(['Kharkiv', 'Харьков', 'Харків']);
    const kursk = resolve('Курськ')[0]?.place;
    expect(kursk && [kursk.name, kursk.nameRu, kursk.nameUk, kursk.region]).toEqual(['Kursk', 'Курск', 'Курськ', 'RU-KRS']);
    expect(kursk?.lat).toBeCloseTo(51.74, 1);
  });

  it('keeps seas out of every region', () => {
    const [sea] = resolve('Чорного моря');
    expect(sea?.place.kind).toBe('water');
    expect(sea?.place.region).toBeNull();
  });
});

describe('gazetteer: normalization and romanization', () => {
  it('normalizes case, ё, apostrophes, dashes and stress marks', () => {
    expect(normalizeKey('  Орёл ')).toBe('орел');
    expect(normalizeKey('Солом’янський')).toBe("солом'янський");
    expect(normalizeKey('Каменск–Шахтинский')).toBe('каменск-шахтинский');
    expect(normalizeKey('Карадж\u0301и')).toBe('караджи');
  });

  it('romanizes Russian and Ukrainian the way news agencies do', () => {
    expect(translitRu('Малоярославец')).toBe('Maloyaroslavets');
    expect(translitRu('Елец')).toBe('Yelets');
    expect(translitRu('Славянск-на-Кубани')).toBe('Slavyansk-na-Kubani');
    expect(translitUk('Запоріжжя')).toBe('Zaporizhzhia');
    expect(translitUk('Київ')).toBe('Kyiv');
    expect(translitUk("Солом'янський")).toBe('Solomianskyi');
  });
});
