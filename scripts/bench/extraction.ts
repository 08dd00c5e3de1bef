/**
 * Section 1: extraction alone, in a process of its own so that its peak RSS is the extractor's
 * (the corpus, the timing and the figures are the extractor's own bench, scripts/bench-extraction.ts).
 */
import type { ExtractionBench } from '../bench-extraction.js';
import { startChild } from './env.js';

export type ExtractionResult = ExtractionBench;

export async function benchExtractionSection(posts: number): Promise<ExtractionResult> {
  const child = startChild('scripts/bench/extraction-child.ts', [String(posts)], {}, 'extraction');
  try {
    const line = await child.waitFor((l) => l.msg === 'extraction result', 240_000, 'extraction result');
    return line.result as ExtractionResult;
  } finally {
    await child.stop();
  }
}
