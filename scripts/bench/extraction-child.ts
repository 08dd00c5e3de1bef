/** Runs the extractor's bench (scripts/bench-extraction.ts) and prints its figures as one JSON line. */
import { benchExtraction } from '../bench-extraction.js';

const posts = Number(process.argv[2] ?? 20_000);
const result = await benchExtraction({ posts });
process.stdout.write(`${JSON.stringify({ msg: 'extraction result', result })}\n`);
