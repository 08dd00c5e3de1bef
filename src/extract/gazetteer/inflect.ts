/**
 * Case forms of Russian and Ukrainian place names, by ending rules. Used at build time to put every
 * form a post may use into the index ("Малоярославца", "Киришах", "Каменске-Шахтинском", "Харкові",
 * "Сумах", "Запоріжжі"), and at run time only for adjective stems of district names.
 *
 * The rules over-generate on purpose: a form nobody writes costs a few bytes in the index, a form
 * missing costs a missed place. Where Russian usage varies ("в Балабаново" / "в Балабанове") both
 * are produced.
 */

/** Six cases in the usual order: nominative, genitive, dative, accusative, instrumental, locative. */
export type Paradigm = [string[], string[], string[], string[], string[], string[]];

const RU_HUSHING = /[гкхжшщч]$/;
const RU_SIBILANT_C = /[жшщчц]$/;

function p(nom: string, gen: string[], dat: string[], acc: string[], ins: string[], loc: string[]): Paradigm {
  return [[nom], gen, dat, acc, ins, loc];
}

function indeclinable(word: string): Paradigm {
  return [[word], [word], [word], [word], [word], [word]];
}

function merge(a: Paradigm, b: Paradigm): Paradigm {
  return a.map((forms, i) => [...new Set([...forms, ...(b[i] ?? [])])]) as Paradigm;
}

// ---------------------------------------------------------------- Russian

/** Russian adjective endings → paradigm (masc/fem/neut/plural), or undefined if not adjectival. */
function ruAdjective(word: string): Paradigm | undefined {
  const m = /^(.*?)(ский|цкий|кий|гий|хий|ый|ий|ой|ая|яя|ое|ее|ые|ие)$/.exec(word);
  if (!m) return undefined;
  const stem = m[1] as string;
  const end = m[2] as string;
  const soft = end === 'ий' && /[нн]$/.test(stem) && !/(ск|цк)$/.test(stem);
  const velar = /(ск|цк|к|г|х)$/.test(stem + (end.startsWith('ск') ? 'ск' : end.startsWith('цк') ? 'цк' : end.startsWith('к') ? 'к' : end.startsWith('г') ? 'г' : end.startsWith('х') ? 'х' : ''));
  const base = end === 'ский' ? stem + 'ск' : end === 'цкий' ? stem + 'цк' : end === 'кий' ? stem + 'к' : end === 'гий' ? stem + 'г' : end === 'хий' ? stem + 'х' : stem;
  const i = velar || /[жшщч]$/.test(base) ? 'и' : 'ы';
  const masc = ['ский', 'цкий', 'кий', 'гий', 'хий', 'ый', 'ий', 'ой'].includes(end);
  if (masc) {
    if (soft) return p(word, [base + 'его'], [base + 'ему'], [word], [base + 'им'], [base + 'ем']);
    return p(word, [base + 'ого'], [base + 'ому'], [word], [base + i + 'м'], [base + 'ом']);
  }
  if (end === 'ая') return p(word, [base + 'ой'], [base + 'ой'], [base + 'ую'], [base + 'ой', base + 'ою'], [base + 'ой']);
  if (end === 'яя') return p(word, [base + 'ей'], [base + 'ей'], [base + 'юю'], [base + 'ей'], [base + 'ей']);
  if (end === 'ое') return p(word, [base + 'ого'], [base + 'ому'], [word], [base + i + 'м'], [base + 'ом']);
  if (end === 'ее') return p(word, [base + 'его'], [base + 'ему'], [word], [base + 'им'], [base + 'ем']);
  // plural (Великие Луки, Горячие Ключи)
  const pl = end === 'ые' ? 'ы' : 'и';
  return p(word, [base + pl + 'х'], [base + pl + 'м'], [word], [base + pl + 'ми'], [base + pl + 'х']);
}

/** Stems of a masculine noun with a fleeting vowel: Малоярославец → Малоярославц, Орёл → Орл. */
function ruFleeting(word: string): string[] {
  const out: string[] = [];
  let m = /^(.*[бвгджзклмнпрстфхцчшщ])(е|ё|о)(ц|к|л)$/.exec(word);
  if (m) out.push((m[1] as string) + (m[3] as string));
  m = /^(.*[аеёиоуыэюя])(е|ё)(ц|к)$/.exec(word);
  if (m) out.push((m[1] as string) + 'й' + (m[3] as string));
  m = /^(.*[бвгджзклмнпрстфхчшщ])(е|ё)(ц)$/.exec(word);
  if (m) out.push((m[1] as string) + 'ь' + (m[3] as string)); // Елец → Ельца
  return out;
}

function ruMasculineHard(stem: string, nom: string): Paradigm {
  const ins = RU_SIBILANT_C.test(stem) ? [stem + 'ем', stem + 'ом'] : [stem + 'ом'];
  return p(nom, [stem + 'а'], [stem + 'у'], [nom], ins, [stem + 'е']);
}

/** One Russian word (no hyphen, no space) → paradigm. */
export function ruWordParadigm(word: string, position: 'only' | 'first' | 'last' = 'only'): Paradigm {
  const adj = ruAdjective(word);
  if (adj && (position !== 'only' || /(ский|цкий|ый|ая|ое|ое|ые|ие|ской|цкой)$/.test(word))) {
    // "-ой" single words (Джанкой) are nouns too: merge with the noun paradigm below
    if (!/ой$/.test(word) || position === 'first') return adj;
    return merge(adj, ruNounParadigm(word));
  }
  return ruNounParadigm(word);
}

function ruNounParadigm(word: string): Paradigm {
  let m: RegExpExecArray | null;
  // -ово/-ево/-ино/-ыно/-ёво: written both undeclined and declined in news
  if ((m = /^(.*(?:ов|ев|ёв|ин|ын))о$/.exec(word))) {
    const s = m[1] as string;
    return merge(indeclinable(word), p(word, [s + 'а'], [s + 'у'], [word], [s + 'ом'], [s + 'е']));
  }
  if ((m = /^(.*)о$/.exec(word))) {
    const s = m[1] as string;
    return merge(indeclinable(word), p(word, [s + 'а'], [s + 'у'], [word], [s + 'ом'], [s + 'е']));
  }
  if ((m = /^(.*)(ье|ие)$/.exec(word))) {
    // Запорожье → Запорожья, Подмосковье → Подмосковьем
    const s = (m[1] as string) + (m[2] as string).charAt(0);
    return p(word, [s + 'я'], [s + 'ю'], [word], [s + 'ем'], [s + 'е', s + 'и']);
  }
  if ((m = /^(.*[бвгджзклмнпрстфхцчшщ])е$/.exec(word))) {
    // море → моря, водохранилище → водохранилища; foreign names (Туапсе) stay undeclined
    const s = m[1] as string;
    const hard = /[жшщчц]$/.test(s);
    return merge(indeclinable(word), p(word, [s + (hard ? 'а' : 'я')], [s + (hard ? 'у' : 'ю')], [word], [s + 'ем'], [s + 'е']));
  }
  if (/[еиу]$/.test(word) && !/[ыи]$/.test(word)) return indeclinable(word);
  if ((m = /^(.*)ия$/.exec(word))) {
    const s = m[1] as string;
    return p(word, [s + 'ии'], [s + 'ии'], [s + 'ию'], [s + 'ией'], [s + 'ии']);
  }
  if ((m = /^(.*)а$/.exec(word))) {
    const s = m[1] as string;
    const gen = RU_HUSHING.test(s) ? 'и' : 'ы';
    const ins = RU_SIBILANT_C.test(s) ? [s + 'ей', s + 'ой'] : [s + 'ой', s + 'ою'];
    return p(word, [s + gen], [s + 'е'], [s + 'у'], ins, [s + 'е']);
  }
  if ((m = /^(.*)я$/.exec(word))) {
    const s = m[1] as string;
    return p(word, [s + 'и'], [s + 'е'], [s + 'ю'], [s + 'ей', s + 'ею'], [s + 'е']);
  }
  if ((m = /^(.*)[иы]$/.exec(word))) {
    // plural-only names: Кириши → Киришей, Сухиничи → Сухиничей, Валуйки → Валуек, Часцы → Часцов
    const s = m[1] as string;
    const gens = [s + 'ов', s + 'ей', s];
    const k = /^(.*[^аеиоуыэюя])к$/.exec(s);
    if (k) gens.push((k[1] as string) + 'ок', (k[1] as string) + 'ек');
    if (/[аеиоуыэюя]к$/.test(s)) gens.push(s.slice(0, -1) + 'ек');
    if (/йк$/.test(s)) gens.push(s.slice(0, -2) + 'ек'); // Валуйки → Валуек
    const soft = /[ь]$/.test(s);
    const a = soft ? 'я' : 'а';
    return p(word, gens, [s + a + 'м'], [word], [s + a + 'ми'], [s + a + 'х']);
  }
  if ((m = /^(.*)й$/.exec(word))) {
    const s = m[1] as string;
    return p(word, [s + 'я'], [s + 'ю'], [word], [s + 'ем'], [s + 'е']);
  }
  if ((m = /^(.*)ь$/.exec(word))) {
    const s = m[1] as string;
    // masculine (Рославль → Рославля) and feminine (Тверь → Твери, Керчь → Керчи) both
    const masc = p(word, [s + 'я'], [s + 'ю'], [word], [s + 'ем'], [s + 'е']);
    const fem = p(word, [s + 'и'], [s + 'и'], [word], [s + 'ью'], [s + 'и']);
    return merge(masc, fem);
  }
  if (/[бвгджзклмнпрстфхцчшщ]$/.test(word)) {
    let para = ruMasculineHard(word, word);
    for (const stem of ruFleeting(word)) para = merge(para, ruMasculineHard(stem, word));
    return para;
  }
  return indeclinable(word);
}

const RU_INDECLINABLE_PARTS = new Set(['на', 'над', 'под', 'усть', 'санкт', 'сан', 'де', 'ла', 'эль', 'ак', 'кара']);

/** Paradigm of a hyphenated Russian word: Каменск-Шахтинский, Усть-Луга, Славянск-на-Кубани, Приморско-Ахтарск. */
function ruHyphenated(word: string): Paradigm {
  const parts = word.split('-');
  const prepIndex = parts.findIndex((part, i) => i > 0 && (part === 'на' || part === 'над' || part === 'под'));
  if (prepIndex > 0) {
    // Славянск-на-Кубани, Ростов-на-Дону: only the part before the preposition declines
    const head = parts.slice(0, prepIndex).join('-');
    const tail = '-' + parts.slice(prepIndex).join('-');
    return ruWordParadigm(head).map((forms) => forms.map((f) => f + tail)) as Paradigm;
  }
  const last = parts[parts.length - 1] as string;
  const first = parts.slice(0, -1).join('-');
  const lastPara = ruWordParadigm(last, 'last');
  let para = lastPara.map((forms) => forms.map((f) => first + '-' + f)) as Paradigm;
  const firstDeclines = parts.length === 2 && !/[оеи]$/.test(first) && !RU_INDECLINABLE_PARTS.has(first);
  if (firstDeclines && ruAdjective(last)) {
    // Каменск-Шахтинский → Каменске-Шахтинском: both parts agree
    const firstPara = ruWordParadigm(first, 'first');
    const both = firstPara.map((forms, i) => forms.flatMap((f) => (lastPara[i] ?? []).map((l) => f + '-' + l))) as Paradigm;
    para = merge(para, both);
  }
  return para;
}

/** Paradigm of a whole Russian name, words agreeing in case (Белая Берёзка → Белой Берёзке). */
export function ruParadigm(name: string): Paradigm {
  const words = name.toLowerCase().split(/\s+/).filter(Boolean);
  const paras = words.map((w, i) => {
    if (w.includes('-')) return ruHyphenated(w);
    if (words.length === 1) return ruWordParadigm(w, 'only');
    return ruWordParadigm(w, i === words.length - 1 ? 'last' : 'first');
  });
  return combine(paras);
}

/** Every case form of a Russian name, nominative first, lower case. */
export function ruForms(name: string): string[] {
  return flatten(ruParadigm(name));
}

// ---------------------------------------------------------------- Ukrainian

const UK_MUTATION: Record<string, string> = { к: 'ц', г: 'з', х: 'с' };

function ukAdjective(word: string): Paradigm | undefined {
  const m = /^(.*?)(ий|ій|а|я|е|є|і)$/.exec(word);
  if (!m) return undefined;
  const s = m[1] as string;
  const end = m[2] as string;
  if (!/(ськ|цьк|зьк|ськ|ов|ев|ин|ів|н|ц|к|ч|ж|ш|н|л|р|д|т|в|м|п|б|з|с)$/.test(s)) return undefined;
  const soft = end === 'ій' || end === 'я' || end === 'є';
  if (end === 'ий' || end === 'ій') {
    return soft
      ? p(word, [s + 'ього'], [s + 'ьому'], [word], [s + 'ім'], [s + 'ьому', s + 'ім'])
      : p(word, [s + 'ого'], [s + 'ому'], [word], [s + 'им'], [s + 'ому', s + 'ім']);
  }
  if (end === 'а') return p(word, [s + 'ої'], [s + 'ій'], [s + 'у'], [s + 'ою'], [s + 'ій']);
  if (end === 'я') return p(word, [s + 'ьої'], [s + 'ій'], [s + 'ю'], [s + 'ьою'], [s + 'ій']);
  if (end === 'е') return p(word, [s + 'ого'], [s + 'ому'], [word], [s + 'им'], [s + 'ому', s + 'ім']);
  if (end === 'є') return p(word, [s + 'ього'], [s + 'ьому'], [word], [s + 'ім'], [s + 'ьому', s + 'ім']);
  return p(word, [s + 'их'], [s + 'им'], [word], [s + 'ими'], [s + 'их']); // plural -і
}

/** Closed-syllable і of the nominative alternates with о/е in other cases: Харків → Харкова, Ріг → Рогу. */
function ukAlternations(stem: string): string[] {
  const out = [stem];
  const m = /^(.*)і([бвгґджзклмнпрстфхцчшщ]+)$/.exec(stem);
  if (m) out.push((m[1] as string) + 'о' + (m[2] as string), (m[1] as string) + 'е' + (m[2] as string));
  const y = /^(.*)ї([бвгґджзклмнпрстфхцчшщ]+)$/.exec(stem);
  if (y) out.push((y[1] as string) + 'є' + (y[2] as string)); // Київ → Києва
  return out;
}

function ukMasculineHard(stem: string, nom: string): Paradigm {
  const ins = /[жшчщ]$/.test(stem) ? [stem + 'ем', stem + 'ом'] : [stem + 'ом'];
  const loc = [stem + 'і', stem + 'у', stem + 'ові'];
  const last = stem.slice(-1);
  if (UK_MUTATION[last] && !/ськ$|цьк$/.test(stem)) loc.push(stem.slice(0, -1) + UK_MUTATION[last] + 'і'); // Кременчук → Кременчуці
  return p(nom, [stem + 'а', stem + 'у'], [stem + 'у', stem + 'ові'], [nom], ins, loc);
}

function ukNounParadigm(word: string): Paradigm {
  let m: RegExpExecArray | null;
  if ((m = /^(.*)([бвгґджзлмнпрстфцчшщ]{2})я$/.exec(word)) && (m[2] as string)[0] === (m[2] as string)[1]) {
    // neuter -ття/-жжя/-лля: Запоріжжя → Запоріжжі, Закарпаття → Закарпатті
    const s = (m[1] as string) + (m[2] as string);
    return p(word, [word], [s + 'ю'], [word], [s + 'ям'], [s + 'і']);
  }
  if ((m = /^(.*)ія$/.exec(word))) {
    const s = m[1] as string;
    return p(word, [s + 'ії'], [s + 'ії'], [s + 'ію'], [s + 'ією'], [s + 'ії']);
  }
  if ((m = /^(.*)а$/.exec(word))) {
    const s = m[1] as string;
    const last = s.slice(-1);
    const mutated = UK_MUTATION[last] ? s.slice(0, -1) + UK_MUTATION[last] : s;
    const hush = /[жчшщ]$/.test(s);
    const gen = hush ? [s + 'і', s + 'и'] : [s + 'и'];
    return p(word, gen, [mutated + 'і'], [s + 'у'], hush ? [s + 'ею', s + 'ою'] : [s + 'ою'], [mutated + 'і']);
  }
  if ((m = /^(.*)я$/.exec(word))) {
    const s = m[1] as string;
    return p(word, [s + 'і'], [s + 'і'], [s + 'ю'], [s + 'ею'], [s + 'і']);
  }
  if ((m = /^(.*)[ое]$/.exec(word))) {
    // neuter: Дніпро → Дніпра; Russian-style -ово kept undeclined (з Міллерово) or adjectival (Міллерового)
    const s = m[1] as string;
    const noun = p(word, [s + 'а'], [s + 'у'], [word], [s + 'ом'], [s + 'і', s + 'ові']);
    const adj = p(word, [s + 'ого'], [s + 'ому'], [word], [s + 'им'], [s + 'ому', s + 'ім']);
    // soft neuter -е: море → моря, Гуляйполе → Гуляйполя
    const soft = word.endsWith('е') ? p(word, [s + 'я'], [s + 'ю'], [word], [s + 'ем'], [s + 'і']) : indeclinable(word);
    return merge(merge(merge(indeclinable(word), noun), adj), soft);
  }
  if ((m = /^(.*)[иі]$/.exec(word))) {
    // plural: Суми → Сум/Сумах, Ромни → Ромен is irregular (hand-kept)
    const s = m[1] as string;
    const hard = p(word, [s, s + 'ів', s + 'ей'], [s + 'ам'], [word], [s + 'ами'], [s + 'ах']);
    // Чернівці → Чернівцям, Чернівцях
    return word.endsWith('і') ? merge(hard, p(word, [s + 'ів'], [s + 'ям'], [word], [s + 'ями'], [s + 'ях'])) : hard;
  }
  if ((m = /^(.*)й$/.exec(word))) {
    const s = m[1] as string;
    return p(word, [s + 'я', s + 'ю'], [s + 'ю'], [word], [s + 'єм'], [s + 'ї', s + 'ю']); // Джанкоя, краю
  }
  if ((m = /^(.*)ь$/.exec(word))) {
    const s = m[1] as string;
    let para = p(word, [s + 'я'], [s + 'ю'], [word], [s + 'ем'], [s + 'і']);
    const fleeting = /^(.*)е(ць)$/.exec(word); // Марганець → Марганця
    if (fleeting) para = merge(para, p(word, [(fleeting[1] as string) + 'ця'], [(fleeting[1] as string) + 'цю'], [word], [(fleeting[1] as string) + 'цем'], [(fleeting[1] as string) + 'ці']));
    for (const alt of ukAlternations(s).slice(1)) para = merge(para, p(word, [alt + 'я'], [alt + 'ю'], [word], [alt + 'ем'], [alt + 'і']));
    return merge(para, p(word, [s + 'і'], [s + 'і'], [word], [s + 'ю'], [s + 'і'])); // feminine -ь
  }
  if (/[бвгґджзклмнпрстфхцчшщ]$/.test(word)) {
    let para: Paradigm = indeclinable(word);
    para = merge(para, ukMasculineHard(word, word));
    for (const alt of ukAlternations(word).slice(1)) para = merge(para, ukMasculineHard(alt, word));
    const fleeting = /^(.*[бвгджзклмнпрстфхцчшщ])[оеі]([кцл])$/.exec(word);
    if (fleeting) para = merge(para, ukMasculineHard((fleeting[1] as string) + (fleeting[2] as string), word));
    return para;
  }
  return indeclinable(word);
}

export function ukWordParadigm(word: string, position: 'only' | 'first' | 'last' = 'only'): Paradigm {
  const adj = ukAdjective(word);
  if (adj && position === 'first') return adj;
  // adjectival names in -ова/-ева/-ина/-ська (Лозова → Лозової) decline both ways
  if (adj && /(ова|ева|єва|ина|ська|цька|зька|на)$/.test(word)) return merge(adj, ukNounParadigm(word));
  if (adj && /(ський|цький|зький|ська|цька|зька|ське|цьке|зьке|ий|ій|ове|еве|ине|іве)$/.test(word)) {
    return /(ий|ій|ське|цьке|ове|еве|ине|іве)$/.test(word) && position !== 'last' && !/ий$|ій$/.test(word) ? merge(adj, ukNounParadigm(word)) : adj;
  }
  return ukNounParadigm(word);
}

function ukHyphenated(word: string): Paradigm {
  const parts = word.split('-');
  const prepIndex = parts.findIndex((part, i) => i > 0 && (part === 'на' || part === 'над' || part === 'під'));
  if (prepIndex > 0) {
    const head = parts.slice(0, prepIndex).join('-');
    const tail = '-' + parts.slice(prepIndex).join('-');
    return ukWordParadigm(head).map((forms) => forms.map((f) => f + tail)) as Paradigm;
  }
  const last = parts[parts.length - 1] as string;
  const first = parts.slice(0, -1).join('-');
  const lastPara = ukWordParadigm(last, 'last');
  let para = lastPara.map((forms) => forms.map((f) => first + '-' + f)) as Paradigm;
  if (parts.length === 2 && !/[оеі]$/.test(first) && ukAdjective(last)) {
    // Новгород-Сіверський → Новгороді-Сіверському
    const firstPara = ukNounParadigm(first);
    para = merge(para, firstPara.map((forms, i) => forms.flatMap((f) => (lastPara[i] ?? []).map((l) => f + '-' + l))) as Paradigm);
  }
  return para;
}

export function ukParadigm(name: string): Paradigm {
  const words = name.toLowerCase().replace(/[’ʼ`]/g, "'").split(/\s+/).filter(Boolean);
  const paras = words.map((w, i) => {
    if (w.includes('-')) return ukHyphenated(w);
    if (words.length === 1) return ukWordParadigm(w, 'only');
    return ukWordParadigm(w, i === words.length - 1 ? 'last' : 'first');
  });
  return combine(paras);
}

export function ukForms(name: string): string[] {
  return flatten(ukParadigm(name));
}

// ---------------------------------------------------------------- shared

function combine(paras: Paradigm[]): Paradigm {
  const out: Paradigm = [[], [], [], [], [], []];
  for (let c = 0; c < 6; c++) {
    let acc = [''];
    for (const para of paras) {
      const forms = para[c] ?? [];
      const next: string[] = [];
      for (const a of acc) for (const f of forms) next.push(a ? a + ' ' + f : f);
      acc = next.slice(0, 32);
    }
    out[c] = [...new Set(acc)];
  }
  return out;
}

function flatten(para: Paradigm): string[] {
  return [...new Set(para.flat())];
}

// ---------------------------------------------------------------- district adjectives

/**
 * The adjective a Russian district takes from its centre: Кингисепп → Кингисеппский,
 * Климово → Климовский, Мценск → Мценский, Малоярославец → Малоярославецкий, Кириши → Киришский.
 * Irregular ones (Лиски → Лискинский, Россошь → Россошанский) are hand-kept.
 */
export function ruDistrictAdjectives(name: string): string[] {
  const w = name.toLowerCase();
  if (/(ский|цкий|ской)$/.test(w)) return [w.replace(/ской$/, 'ский')];
  if (/\s/.test(w)) return [];
  if (/-на-/.test(w)) return ruDistrictAdjectives(w.split('-на-')[0] as string);
  const out: string[] = [];
  let m: RegExpExecArray | null;
  if ((m = /^(.*)(ск|цк)$/.exec(w))) out.push(w + 'ий');
  else if ((m = /^(.*)(ово|ево|ино|ыно|ёво)$/.exec(w))) out.push((m[1] as string) + (m[2] as string).slice(0, 2) + 'ский');
  else if ((m = /^(.*)(ка)$/.exec(w))) out.push((m[1] as string) + 'ский', (m[1] as string) + 'кский');
  else if ((m = /^(.*)(ки)$/.exec(w))) out.push((m[1] as string) + 'ский', (m[1] as string) + 'кинский');
  else if ((m = /^(.*)(ь)$/.exec(w))) out.push((m[1] as string) + 'ьский', (m[1] as string) + 'ский');
  else if ((m = /^(.*[^аеиоуыэюя])[аяоеиы]$/.exec(w))) out.push((m[1] as string) + 'ский', (m[1] as string) + 'инский', (m[1] as string) + 'енский');
  else if ((m = /^(.*)ец$/.exec(w))) out.push(w + 'кий');
  else if ((m = /^(.*)л$/.exec(w))) out.push(w + 'ьский', w + 'ский'); // Измаил → Измаильский
  else if ((m = /^(.*)й$/.exec(w))) out.push(w + 'ский');
  else if (/[бвгджзклмнпрстфхцчшщ]$/.test(w)) out.push(w + 'ский');
  return out.map((a) => a.replace(/сск/g, 'сск').replace(/([^с])сский$/, '$1сский'));
}

/** Ukrainian district adjective: Харків → Харківський, Кременчук → Кременчуцький, Ізмаїл → Ізмаїльський. */
export function ukDistrictAdjectives(name: string): string[] {
  const w = name.toLowerCase().replace(/[’ʼ`]/g, "'");
  if (/(ський|цький|зький)$/.test(w)) return [w];
  if (/\s/.test(w)) return [];
  const out: string[] = [];
  let m: RegExpExecArray | null;
  if ((m = /^(.*)(ськ|цьк)$/.exec(w))) out.push(w + 'ий');
  else if ((m = /^(.*)ць$/.exec(w))) out.push((m[1] as string) + 'цький');
  else if ((m = /^(.*)к$/.exec(w))) out.push((m[1] as string) + 'цький', w + 'ський');
  else if ((m = /^(.*)(ка)$/.exec(w))) out.push((m[1] as string) + 'ський', (m[1] as string) + 'кинський');
  else if ((m = /^(.*)(ове|еве|ине|ово|ево|ино)$/.exec(w))) out.push((m[1] as string) + (m[2] as string).slice(0, 2) + 'ський', (m[1] as string) + (m[2] as string)[0] + 'івський');
  else if ((m = /^(.*)с[аи]$/.exec(w))) out.push((m[1] as string) + 'ський');
  else if ((m = /^(.*)(ль|нь|ть)$/.exec(w))) out.push(w + 'ський');
  else if ((m = /^(.*)л$/.exec(w))) out.push(w + 'ьський');
  else if ((m = /^(.*[^аеєиіїоуюя'])[аяоеиі]$/.exec(w))) out.push((m[1] as string) + 'ський', (m[1] as string) + 'инський');
  else if ((m = /^(.*)й$/.exec(w))) out.push(w + 'ський');
  else if (/[бвгґджзмнпрстфхчшщ]$/.test(w)) out.push(w + 'ський');
  return out.map((a) => a.replace(/сськ/g, 'ськ'));
}

const ADJ_ENDINGS = [
  // longest first; Russian and Ukrainian, every case, gender and number
  'ього', 'ьому', 'ьої', 'ьою', 'ими', 'ыми', 'ого', 'ому', 'его', 'ему', 'ая', 'яя', 'ую', 'юю', 'ое', 'ее', 'ой', 'ей',
  'ий', 'ый', 'ій', 'им', 'ым', 'ім', 'ом', 'ем', 'ие', 'ые', 'их', 'ых', 'ої', 'ою', 'ою', 'а', 'у', 'е', 'і',
];

/**
 * Possible adjective stems of an inflected word: "Кингисеппского" → ["кингисеппск"], "Київському" → ["київськ"].
 * `minEnding: 2` skips one-letter endings (-а, -е, -у, -і) that nouns share ("Новошахтинске").
 */
export function adjectiveStems(token: string, minEnding = 1): string[] {
  const out: string[] = [];
  for (const end of ADJ_ENDINGS) {
    if (end.length >= minEnding && token.length > end.length + 2 && token.endsWith(end)) {
      const stem = token.slice(0, -end.length);
      if (/(ск|цк|зк|ськ|цьк|зьк|н|в)$/.test(stem) && !out.includes(stem)) out.push(stem);
    }
  }
  return out;
}

/** Latin adjective stem: "Kingiseppsky" / "Kyivskyi" / "Kirovskiy" → "kingiseppsk" / "kyivsk" / "kirovsk". */
export function latinAdjectiveStem(token: string): string | undefined {
  const m = /^(.*(?:sk|tsk|zk|ck))(?:yi|yy|iy|ii|y|i|aya|oye|oe|a|e|ogo|om|oy|iy|ym|im)$/.exec(token);
  return m ? (m[1] as string) : undefined;
}
