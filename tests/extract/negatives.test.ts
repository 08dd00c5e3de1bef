import { describe, expect, it } from 'vitest';
import { extractPost } from '../../src/extract/index.js';
import { NEGATIVES } from './fixtures.js';
import { postOf } from './table.js';

describe('extractor, posts with no drone incident', () => {
  it.each(NEGATIVES.map(([text, lang, region]) => [text.slice(0, 70), text, lang, region] as const))('%s', (_n, text, lang, region) => {
    const records = extractPost(postOf({ text, lang, ...(region ? { channelRegion: region } : {}) }));
    expect(records.map((r) => [r.outcome, r.count, r.evidence])).toEqual([]);
  });
});
