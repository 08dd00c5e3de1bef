/**
 * The `file` source: posts from a JSON Lines file (CONTRACT.md "Post (input)"), behind the same
 * interface as the Telegram readers. Also the simple file listener that queues every post of the
 * file once: a post already archived with the same text is skipped, so a restart queues only what
 * was not processed yet (the worker archives a post when it stores its records).
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parsePost } from '../domain/post.js';
import type { Logger } from '../logger.js';
import { enqueuePosts, type Queues } from '../queue/queues.js';
import type { Store } from '../store/index.js';
import { knownKey, knownPostTexts } from '../store/posts.js';
import type { Source, SourcePost } from './types.js';

/**
 * The bundled sample, used when TELEGRAM_SOURCE=file and SOURCE_FILE is not set: found from this
 * module both when run from src/ (tsx) and from dist/src/ (the build).
 */
export function defaultSourceFile(): string {
  const candidates = ['../../examples/posts.jsonl', '../../../examples/posts.jsonl'].map((rel) => resolve(fileURLToPath(new URL(rel, import.meta.url))));
  return candidates.find((p) => existsSync(p)) ?? candidates[0]!;
}

export interface InvalidLine {
  /** 1-based line number. */
  line: number;
  reason: string;
  raw: string;
}

export interface PostsFile {
  posts: SourcePost[];
  invalid: InvalidLine[];
}

/** Reads a JSON Lines file of posts; blank lines are skipped, invalid ones reported with their line. */
export async function readPostsFile(path: string): Promise<PostsFile> {
  const posts: SourcePost[] = [];
  const invalid: InvalidLine[] = [];
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let n = 0;
  for await (const raw of lines) {
    n++;
    if (raw.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      invalid.push({ line: n, reason: `not JSON: ${err instanceof Error ? err.message : String(err)}`, raw });
      continue;
    }
    const parsed = parsePost(value);
    if (parsed.ok) posts.push(parsed.post);
    else invalid.push({ line: n, reason: parsed.reason, raw });
  }
  return { posts, invalid };
}

/** A Source over a JSON Lines file, loaded once. */
export function createFileSource(path: string): Source & { load(): Promise<PostsFile> } {
  let loaded: Promise<{ file: PostsFile; byChannel: Map<string, SourcePost[]> }> | null = null;
  const load = () => {
    loaded ??= readPostsFile(path).then((file) => {
      const byChannel = new Map<string, SourcePost[]>();
      for (const post of file.posts) {
        const list = byChannel.get(post.channel) ?? [];
        list.push(post);
        byChannel.set(post.channel, list);
      }
      for (const list of byChannel.values()) list.sort((a, b) => a.messageId - b.messageId);
      return { file, byChannel };
    });
    return loaded;
  };
  const channelPosts = async (channel: string) => (await load()).byChannel.get(channel.replace(/^@/, '')) ?? [];
  return {
    name: 'file',
    async load() {
      return (await load()).file;
    },
    async readNewer(channel, afterId, limit) {
      return (await channelPosts(channel)).filter((p) => p.messageId > afterId).slice(0, limit);
    },
    async readLatest(channel, limit) {
      const all = await channelPosts(channel);
      return all.slice(Math.max(0, all.length - limit));
    },
    async readOlder(channel, beforeId, limit) {
      return (await channelPosts(channel))
        .filter((p) => p.messageId < beforeId)
        .reverse()
        .slice(0, limit);
    },
    async close() {
      loaded = null;
    },
  };
}

export interface FileListenerDeps {
  path: string;
  store: Store;
  queues: Pick<Queues, 'posts'>;
  logger: Logger;
  /** Posts per addBulk call. */
  batchSize?: number;
}

export interface FileListener {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Resolves once the whole file has been read and queued. */
  readonly done: Promise<FileListenerReport>;
}

export interface FileListenerReport {
  posts: number;
  queued: number;
  known: number;
  invalid: number;
}

/** A stable job id for an invalid line, so that a restart does not record it twice. */
function invalidLineJobId(line: InvalidLine): string {
  return `file-invalid-${createHash('sha256').update(line.raw).digest('hex').slice(0, 24)}`;
}

/** Reads the file once at start and queues every post not yet archived with the same text. */
export function createFileListener(deps: FileListenerDeps): FileListener {
  const log = deps.logger.child({ role: 'listener', source: 'file' });
  const batchSize = deps.batchSize ?? 500;
  let stopped = false;
  let settle!: (r: FileListenerReport) => void;
  let reject!: (err: unknown) => void;
  const done = new Promise<FileListenerReport>((res, rej) => {
    settle = res;
    reject = rej;
  });
  done.catch(() => undefined);

  async function run(): Promise<FileListenerReport> {
    const file = await readPostsFile(deps.path);
    for (const line of file.invalid) {
      log.warn({ line: line.line, reason: line.reason }, 'invalid post in the source file');
      await deps.store.recordFailure({ jobId: invalidLineJobId(line), postId: null, payload: line.raw, reason: `${deps.path}:${line.line}: ${line.reason}`, attempts: 1 });
    }
    let queued = 0;
    let known = 0;
    for (let i = 0; i < file.posts.length && !stopped; i += batchSize) {
      const batch = file.posts.slice(i, i + batchSize);
      const archived = await knownPostTexts(deps.store.db, batch);
      const fresh = batch.filter((p) => !archived.has(knownKey(p)));
      known += batch.length - fresh.length;
      queued += await enqueuePosts(deps.queues.posts, fresh, { requeueFinished: true });
    }
    return { posts: file.posts.length, queued, known, invalid: file.invalid.length };
  }

  return {
    done,
    async start() {
      log.info({ path: deps.path }, 'reading the source file');
      const report = await run().catch((err: unknown) => {
        reject(err);
        throw err;
      });
      log.info(report, 'source file queued');
      settle(report);
    },
    async stop() {
      stopped = true;
    },
  };
}
