/**
 * `extract`: posts (JSON Lines) from stdin or --input FILE → one line per post,
 * `{"id": <post id>, "incidents": [records]}`, in input order (CONTRACT.md "Command line").
 * A line that is not a valid post is reported on stderr with its line number; the rest goes on,
 * and the command exits with status 2 at the end. Streams line by line, so inputs of any size work.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Command } from 'commander';
import { parsePost } from '../../domain/post.js';
import { extractPost } from '../../extract/index.js';

export interface ExtractStreamResult {
  posts: number;
  invalid: number;
}

/** Reads posts from `input`, writes result lines to `output`, problems to `errors`. */
export async function extractStream(input: Readable, output: Writable, errors: Writable): Promise<ExtractStreamResult> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  let posts = 0;
  let invalid = 0;
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      invalid++;
      errors.write(`line ${lineNo}: not JSON: ${err instanceof Error ? err.message : String(err)}\n`);
      continue;
    }
    const parsed = parsePost(value);
    if (!parsed.ok) {
      invalid++;
      errors.write(`line ${lineNo}: not a valid post: ${parsed.reason}\n`);
      continue;
    }
    const incidents = extractPost(parsed.post);
    posts++;
    if (!output.write(`${JSON.stringify({ id: parsed.post.id, incidents })}\n`)) {
      await new Promise<void>((resolve) => output.once('drain', () => resolve()));
    }
  }
  return { posts, invalid };
}

export function register(cmd: Command): void {
  cmd
    .option('-i, --input <file>', 'read posts from this JSON Lines file instead of stdin')
    .addHelpText(
      'after',
      '\nInput: one post per line, {"channel", "messageId", "date", "text", "lang"?, "channelRegion"?, "id"?, "editDate"?}.\n' +
        'Output: one line per post, {"id": <post id>, "incidents": [records]}, in input order.\n' +
        'Invalid lines are reported on stderr with their line number; the exit status is then 2.',
    )
    .action(async (opts: { input?: string }) => {
      const input = opts.input ? createReadStream(opts.input, { encoding: 'utf8' }) : process.stdin;
      const result = await extractStream(input, process.stdout, process.stderr);
      if (result.invalid > 0) process.exitCode = 2;
    });
}
