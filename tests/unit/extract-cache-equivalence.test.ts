/**
 * The extractor remembers work between and within posts (drone words per token, region forms per
 * surface, Ukrainian spellings per name, candidate reasons written only when read). These tests
 * check that what is remembered gives the same answers as working it out afresh.
 */
import { describe, expect, it } from 'vitest';
import type { Post } from '../../src/domain/post.js';
import { resolve } from '../../src/extract/gazetteer/index.js';
import { extractPost } from '../../src/extract/index.js';
import { droneWord, tokenDroneWord } from '../../src/extract/lexicon.js';
import { normalizeText } from '../../src/extract/normalize.js';
import { tokenize } from '../../src/extract/tokens.js';
import { EN, NEGATIVES, RU, UK } from '../extract/fixtures.js';

const FIXTURES = [...RU, ...UK, ...EN];

function postOf(text: string, lang: Post['lang'], n: number, channelRegion?: string): Post {
  const post: Post = { id: `eq/${n}`, channel: 'eq', messageId: n + 1, date: '2025-11-01T06:00:00Z', text };
  if (lang) post.lang = lang;
  if (channelRegion) post.channelRegion = channelRegion;
  return post;
}

describe('remembered work gives the answers of fresh work', () => {
  it('a token remembers the drone word its text is', () => {
    for (const f of FIXTURES) {
      for (const t of tokenize(normalizeText(f.text))) {
        const fresh = droneWord(t.low);
        expect(tokenDroneWord(t)).toBe(fresh);
        expect(tokenDroneWord(t)).toBe(fresh);
      }
    }
  });

  it('extracts every fixture alike whatever was extracted before it', () => {
    const posts = [...FIXTURES.map((f, n) => postOf(f.text, f.lang, n, f.channelRegion)), ...NEGATIVES.map(([text, lang, region], n) => postOf(text, lang, 1000 + n, region))];
    const forward = posts.map((p) => JSON.stringify(extractPost(p)));
    const backward = [...posts].reverse().map((p) => JSON.stringify(extractPost(p))).reverse();
    expect(backward).toEqual(forward);
    expect(forward.filter((r) => r !== '[]').length).toBeGreaterThan(FIXTURES.length / 2);
  });

  it('a candidate explains itself when asked, and serializes as place, score, why', () => {
    const [best] = resolve('Кирова', { regions: ['RU-KLU'] });
    expect(best).toBeDefined();
    const why = best?.why;
    expect(why?.[0]).toBe('case form');
    expect(best?.why).toBe(why);
    const json = JSON.parse(JSON.stringify(best)) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['place', 'score', 'why']);
    expect(json.why).toEqual(why);
    expect(json.score).toBe(best?.score);
  });
});
