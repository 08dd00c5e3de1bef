/**
 * Romanization of Russian and Ukrainian names, used at build time to give every Cyrillic name the
 * Latin spellings English posts use ("Kremenki"/"Kremyonki", "Kharkiv"), and to name generated
 * districts in English ("Kingiseppsky district").
 */

// Russian: the BGN/PCGN-like system English news agencies use (Yaroslavl, Zhukov, Shchyokino).
const RU: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'yo', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm',
  н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch',
  ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya',
};

// Ukrainian: the official 2010 national system (Kharkiv, Zaporizhzhia, Bila Tserkva).
const UK: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'h', ґ: 'g', д: 'd', е: 'e', є: 'ie', ж: 'zh', з: 'z', и: 'y', і: 'i', ї: 'i', й: 'i',
  к: 'k', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch',
  ш: 'sh', щ: 'shch', ь: '', ю: 'iu', я: 'ia', "'": '',
};
const UK_WORD_START: Record<string, string> = { є: 'ye', ї: 'yi', й: 'y', ю: 'yu', я: 'ya' };

const VOWELS_RU = 'аеёиоуыэюяьъ';

const PARTICLES = new Set(['na', 'nad', 'pod', 'on', 'pid']);

/** Capital letters for names: "Kamensk-Shakhtinsky", "Slavyansk-na-Kubani" (particles stay lower case). */
function capitalizeWords(s: string): string {
  return s.replace(/(^|[\s-])(\p{L}+)/gu, (_m, sep: string, w: string) => sep + (PARTICLES.has(w) && sep === '-' ? w : w.charAt(0).toUpperCase() + w.slice(1)));
}

function keepCase(s: string, lowerInput: string, original: string): string {
  return original === lowerInput ? s : capitalizeWords(s);
}

/** Russian → Latin. `variant: 'ye'` writes е as "ye" at word start and after vowels (Yelets, Yeysk). */
export function translitRu(text: string, variant: 'plain' | 'ye' = 'ye'): string {
  const lower = text.toLowerCase();
  let out = '';
  for (let i = 0; i < lower.length; i++) {
    const c = lower[i] as string;
    const prev = i > 0 ? (lower[i - 1] as string) : ' ';
    if (c === 'е' && variant === 'ye' && (/[\s-]/.test(prev) || i === 0 || VOWELS_RU.includes(prev))) out += 'ye';
    else if (c === 'ё' && variant === 'plain') out += 'e';
    else out += RU[c] ?? c;
  }
  out = out.replace(/iy\b/g, variant === 'ye' ? 'y' : 'iy').replace(/yy\b/g, 'y');
  return keepCase(out, lower, text);
}

/** Ukrainian → Latin (official system: є, ї, й, ю, я differ at word start; зг → zgh). */
export function translitUk(text: string): string {
  const lower = text.toLowerCase().replace(/[’ʼ`]/g, "'");
  let out = '';
  for (let i = 0; i < lower.length; i++) {
    const c = lower[i] as string;
    const prev = i > 0 ? (lower[i - 1] as string) : ' ';
    const atStart = i === 0 || /[\s-]/.test(prev);
    if (atStart && UK_WORD_START[c]) out += UK_WORD_START[c];
    else if (c === 'г' && prev === 'з') out += 'gh';
    else out += UK[c] ?? c;
  }
  return keepCase(out, lower, text);
}
