/** Language of a post when the input does not say: letters only Ukrainian or only Russian decide. */
import type { Lang } from '../domain/post.js';

// і ї є ґ (both cases) and ы э ъ (both cases), as a table over the Cyrillic block: 1 Ukrainian only, 2 Russian only
const UK_ONLY = [0x456, 0x457, 0x454, 0x491, 0x406, 0x407, 0x404, 0x490];
const RU_ONLY = [0x44b, 0x44d, 0x44a, 0x42b, 0x42d, 0x42a];
const ONLY_IN = new Uint8Array(0x130);
for (const c of UK_ONLY) ONLY_IN[c - 0x400] = 1;
for (const c of RU_ONLY) ONLY_IN[c - 0x400] = 2;
const UK_WORDS = /(^|[^\p{L}])(та|що|це|від|для|який|яка|вночі|області|збито|збили|знищено|знищили|ворож\p{L}*|\p{L}+щиною|\p{L}+щині|сили|протягом|дрони|дронів)(?=[^\p{L}]|$)/u;

/** Detects ru / uk / en from the script and the letters only one of the two Cyrillic languages has. */
export function detectLang(text: string): Lang {
  const n = Math.min(text.length, 4000);
  let cyr = 0;
  let lat = 0;
  let uk = 0;
  let ru = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) lat++;
    else if (c >= 0x400 && c <= 0x52f) {
      cyr++;
      const only = ONLY_IN[c - 0x400];
      if (only === 1) uk++;
      else if (only === 2) ru++;
    }
  }
  if (cyr === 0 || lat > cyr * 2) return 'en';
  if (uk > ru) return 'uk';
  if (ru > uk) return 'ru';
  return UK_WORDS.test(text.slice(0, n)) ? 'uk' : 'ru';
}
