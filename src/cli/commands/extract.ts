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
import { DEFAULT_REGISTRY_PATH, readRegistryFile } from '../../sources/registry.js';

export interface ExtractStreamResult {
  posts: number;
  invalid: number;
}

/**
 * Reads posts from `input`, writes result lines to `output`, problems to `errors`. A post without
 * `channelRegion` from a channel in `homeRegions` (username, lower case → ISO code) gets that
 * channel's home region, as the service gives it from its channels table.
 */
export async function extractStream(input: Readable, output: Writable, errors: Writable, homeRegions: ReadonlyMap<string, string> = new Map()): Promise<ExtractStreamResult> {
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
    const post = parsed.post;
    if (post.channelRegion === undefined) {
      const home = homeRegions.get(post.channel.toLowerCase());
      if (home) post.channelRegion = home;
    }
    const incidents = extractPost(post);
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
    .option('--channels <file>', 'channel registry giving home regions to posts without channelRegion', DEFAULT_REGISTRY_PATH)
    .option('--no-channels', 'use only the channelRegion the posts carry')
    .addHelpText(
      'after',
      '\nInput: one post per line, {"channel", "messageId", "date", "text", "lang"?, "channelRegion"?, "id"?, "editDate"?}.\n' +
        'Output: one line per post, {"id": <post id>, "incidents": [records]}, in input order.\n' +
        'A post without channelRegion from a channel of the registry (default: the bundled channels/registry.json)\n' +
        'gets the channel\'s home region, as in the service.\n' +
        'Invalid lines are reported on stderr with their line number; the exit status is then 2.',
    )
    .action(async (opts: { input?: string; channels: string | false }) => {
      const homeRegions = new Map<string, string>();
      if (opts.channels !== false) {
        for (const c of readRegistryFile(opts.channels)) if (c.homeRegion) homeRegions.set(c.username.toLowerCase(), c.homeRegion);
      }
      const input = opts.input ? createReadStream(opts.input, { encoding: 'utf8' }) : process.stdin;
      const result = await extractStream(input, process.stdout, process.stderr, homeRegions);
      if (result.invalid > 0) process.exitCode = 2;
    });
}
