/**
 * The `web` source: the public preview pages `<base>/s/<channel>` (no account). Polite by
 * construction: one request at a time per host with a jittered gap, a timeout on every request,
 * a bounded body, exponential back-off on 5xx and cut responses, and `Retry-After` on 429 passed up
 * to the poll worker as a rate limit.
 */
import type { Logger } from '../logger.js';
import { ChannelUnavailableError, SourceRateLimitedError, SourceTransientError, describeError } from './errors.js';
import type { Source, SourcePost } from './types.js';
import { parseChannelPage, type WebPage, type WebPost } from './web-parse.js';

export const WEB_USER_AGENT = 'Mozilla/5.0 (compatible; dronewire/0.1; +https://github.com/dronewire/dronewire) monitor of official channels';

export interface WebSourceOptions {
  baseUrl: string;
  logger: Logger;
  /** Per-request timeout (connect + body). */
  timeoutMs?: number;
  /** Bodies beyond this are cut and the request fails (a preview page is ~100 KB). */
  maxBytes?: number;
  /**
   * Mean time between the starts of two requests to the host (WEB_REQUEST_GAP_MS, default 1 s):
   * each gap is drawn from 70–130 % of it. `minGapMs` / `jitterMs` set the two parts directly
   * (least gap, plus up to `jitterMs` at random) and win over it.
   */
  requestGapMs?: number;
  minGapMs?: number;
  jitterMs?: number;
  /** Attempts on 5xx / network errors / cut bodies before giving up on this read. */
  maxAttempts?: number;
  backoffBaseMs?: number;
  /** Retry-After when a 429 names none. */
  defaultRetryAfterMs?: number;
  /** A walk back to a stored cursor stops after this many pages (then the gap is logged). */
  maxPagesPerRead?: number;
  userAgent?: string;
  fetchImpl?: typeof fetch;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** A preview page with the time it was read (an "edited" post's editDate is that time). */
interface FetchedPage extends WebPage {
  fetchedAt: Date;
}

export interface WebSource extends Source {
  readonly name: 'web';
  /** One page: the latest, or the one before `before`. */
  fetchPage(channel: string, before?: number): Promise<FetchedPage>;
}

/** How long a just-fetched latest page may stand in for a second fetch within the same poll. */
const LATEST_REUSE_MS = 10_000;

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export const DEFAULT_REQUEST_GAP_MS = 1_000;

/** A mean gap as the throttle's least gap and jitter: each gap falls in 70–130 % of the mean. */
export function requestGaps(meanMs: number): { minGapMs: number; jitterMs: number } {
  const mean = Math.max(0, meanMs);
  return { minGapMs: Math.round(mean * 0.7), jitterMs: Math.round(mean * 0.6) };
}

export function createWebSource(options: WebSourceOptions): WebSource {
  const base = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 15_000;
  const maxBytes = options.maxBytes ?? 2 * 1024 * 1024;
  const maxAttempts = options.maxAttempts ?? 4;
  const backoffBaseMs = options.backoffBaseMs ?? 1_000;
  const maxPages = options.maxPagesPerRead ?? 1_000;
  const fetchImpl = options.fetchImpl ?? fetch;
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const log = options.logger;
  // About one request a second on average by default: ~60 channels a minute at one page each.
  const gap = requestGaps(options.requestGapMs ?? DEFAULT_REQUEST_GAP_MS);
  const throttle = createThrottle(options.minGapMs ?? gap.minGapMs, options.jitterMs ?? gap.jitterMs, now, sleep);
  let closed = false;

  async function fetchPage(channel: string, before?: number): Promise<FetchedPage> {
    const url = `${base}/s/${encodeURIComponent(channel)}${before ? `?before=${before}` : ''}`;
    let lastError: unknown;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (closed) throw new SourceTransientError('web source closed');
      try {
        const html = await throttle(() => fetchHtml(url, channel));
        const page = parseChannelPage(html, channel);
        if (!page.isChannelPreview) {
          throw new ChannelUnavailableError(channel, 'no-preview', 'the page is not a public channel preview (private, a user, or preview disabled)');
        }
        if (!page.complete) throw new SourceTransientError(`cut response from ${url} (no </html>)`);
        return { ...page, fetchedAt: new Date(now()) };
      } catch (err) {
        if (err instanceof ChannelUnavailableError || err instanceof SourceRateLimitedError) throw err;
        lastError = err;
        if (attempt === maxAttempts) break;
        const delay = err instanceof RetryAfterHint ? err.ms : backoffBaseMs * 2 ** (attempt - 1) * (1 + Math.random() * 0.25);
        log.warn({ channel, url, attempt, delayMs: Math.round(delay), err: describeError(err) }, 'preview request failed; backing off');
        await sleep(delay);
      }
    }
    throw new SourceTransientError(`preview of ${channel} unavailable after ${maxAttempts} attempts: ${describeError(lastError)}`, { cause: lastError });
  }

  async function fetchHtml(url: string, channel: string): Promise<string> {
    let current = url;
    // Follow redirects by hand: one that leaves /s/ means the channel has no public preview.
    for (let hop = 0; hop < 4; hop++) {
      const res = await fetchImpl(current, {
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
        headers: { 'user-agent': options.userAgent ?? WEB_USER_AGENT, accept: 'text/html', 'accept-language': 'en' },
      });
      if (res.status >= 300 && res.status < 400) {
        await res.body?.cancel().catch(() => undefined);
        const location = res.headers.get('location');
        const next = location ? new URL(location, current) : undefined;
        if (!next || !/^\/s\//.test(next.pathname)) {
          throw new ChannelUnavailableError(channel, 'no-preview', `no public preview: ${url} redirects to ${next ? next.pathname : '(nowhere)'}`);
        }
        current = next.toString();
        continue;
      }
      if (res.status === 404) {
        await res.body?.cancel().catch(() => undefined);
        throw new ChannelUnavailableError(channel, 'unknown', `unknown channel (${url} answers 404)`);
      }
      if (res.status === 429) {
        await res.body?.cancel().catch(() => undefined);
        const ms = parseRetryAfter(res.headers.get('retry-after'), now()) ?? options.defaultRetryAfterMs ?? 60_000;
        throw new SourceRateLimitedError(ms, `${new URL(url).host} answers 429; retry after ${Math.ceil(ms / 1000)} s`);
      }
      if (res.status >= 500) {
        await res.body?.cancel().catch(() => undefined);
        const hint = parseRetryAfter(res.headers.get('retry-after'), now());
        if (hint !== undefined && hint <= 60_000) throw new RetryAfterHint(hint, `HTTP ${res.status}`);
        throw new SourceTransientError(`HTTP ${res.status} from ${url}`);
      }
      if (res.status !== 200) {
        await res.body?.cancel().catch(() => undefined);
        throw new SourceTransientError(`unexpected HTTP ${res.status} from ${url}`);
      }
      return readBounded(res, maxBytes);
    }
    throw new ChannelUnavailableError(channel, 'no-preview', `too many redirects from ${url}`);
  }

  function toSourcePost(channel: string, p: WebPost, fetchedAt: Date): SourcePost {
    const post: SourcePost = { id: `${channel}/${p.messageId}`, channel, messageId: p.messageId, date: p.date, text: p.text };
    if (p.edited) {
      // The preview says "edited" but usually not when: then the time we saw it stands in (an upper
      // bound), which also gives the new version a job id distinct from the original's.
      post.edited = true;
      post.editDate = p.editedAt ?? fetchedAt.toISOString();
    }
    if (p.views !== undefined) post.views = p.views;
    if (p.forwardedFrom) post.forwardedFrom = p.forwardedFrom;
    if (p.groupedId) post.groupedId = p.groupedId;
    return post;
  }

  function postsOf(channel: string, page: FetchedPage): SourcePost[] {
    return page.posts.map((p) => toSourcePost(channel, p, page.fetchedAt));
  }

  /**
   * The latest page. A poll reads the window (readLatest) and, when the window does not reach the
   * cursor, the gap (readNewer) right after: the second read reuses the page the first fetched
   * seconds ago instead of asking t.me for it again. Only once, and only while fresh.
   */
  const recentLatest = new Map<string, FetchedPage>();
  async function latestPage(channel: string, reuse: boolean): Promise<FetchedPage> {
    const cached = recentLatest.get(channel);
    recentLatest.delete(channel);
    if (reuse && cached && now() - cached.fetchedAt.getTime() < LATEST_REUSE_MS) return cached;
    const page = await fetchPage(channel);
    recentLatest.set(channel, page);
    return page;
  }

  /** Walks pages back from `before` (or the latest) while `more(collected, page)` says so. */
  async function walkBack(
    channel: string,
    before: number | undefined,
    more: (collected: Map<number, SourcePost>, page: FetchedPage) => boolean,
    reuseLatest = false,
  ): Promise<{ posts: Map<number, SourcePost>; exhausted: boolean; pages: number }> {
    const collected = new Map<number, SourcePost>();
    let cursor = before;
    for (let pages = 1; pages <= maxPages; pages++) {
      const page = cursor === undefined ? await latestPage(channel, reuseLatest) : await fetchPage(channel, cursor);
      for (const p of postsOf(channel, page)) collected.set(p.messageId, p);
      // No link to older posts: this is the channel's first page.
      const next = page.olderBefore;
      if (next === undefined || (cursor !== undefined && next >= cursor)) {
        return { posts: collected, exhausted: true, pages };
      }
      if (!more(collected, page)) return { posts: collected, exhausted: false, pages };
      cursor = next;
    }
    log.warn({ channel, pages: maxPages }, 'walk back stopped at the page limit; run backfill for the rest');
    return { posts: collected, exhausted: false, pages: maxPages };
  }

  const sorted = (m: Map<number, SourcePost>) => [...m.values()].sort((a, b) => a.messageId - b.messageId);

  return {
    name: 'web',
    fetchPage,
    async readLatest(channel, limit) {
      const { posts } = await walkBack(channel, undefined, (c) => c.size < limit);
      return sorted(posts).slice(-limit);
    },
    async readNewer(channel, afterId, limit) {
      // The preview only pages backwards: walk from the latest page until the cursor is reached.
      const { posts } = await walkBack(channel, undefined, (_c, page) => (page.seenIds[0] ?? 0) > afterId + 1, true);
      return sorted(posts)
        .filter((p) => p.messageId > afterId)
        .slice(0, limit);
    },
    async readOlder(channel, beforeId, limit) {
      const { posts } = await walkBack(channel, beforeId, (c) => c.size < limit);
      return sorted(posts)
        .filter((p) => p.messageId < beforeId)
        .slice(-limit);
    },
    async close() {
      closed = true;
    },
  };
}

/** A 5xx that named its own Retry-After: wait that long before the next attempt. */
class RetryAfterHint extends Error {
  constructor(
    readonly ms: number,
    message: string,
  ) {
    super(message);
    this.name = 'RetryAfterHint';
  }
}

/** `Retry-After` as delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** Reads a response body up to maxBytes; a longer one is cancelled and fails the request. */
async function readBounded(res: Response, maxBytes: number): Promise<string> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw new SourceTransientError(`response of ${declared} bytes exceeds the ${maxBytes}-byte limit`);
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new SourceTransientError(`response cut at the ${maxBytes}-byte limit`);
    }
    chunks.push(value);
  }
  return new TextDecoder('utf-8').decode(Buffer.concat(chunks));
}

/** Serializes requests and keeps a jittered least gap between their starts. */
function createThrottle(minGapMs: number, jitterMs: number, now: () => number, sleep: (ms: number) => Promise<void>) {
  let chain: Promise<unknown> = Promise.resolve();
  let lastStart = 0;
  return function throttled<T>(fn: () => Promise<T>): Promise<T> {
    const run = chain.then(async () => {
      const gap = minGapMs + Math.random() * jitterMs;
      const wait = lastStart + gap - now();
      if (wait > 0) await sleep(wait);
      lastStart = now();
      return fn();
    });
    chain = run.catch(() => undefined);
    return run;
  };
}
