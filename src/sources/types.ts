/**
 * The source interface: every Telegram reader (public web preview, gramjs user session, a JSON
 * Lines file) answers the same three questions, so that the listener, backfill and tests do not
 * care which one is configured.
 */
import type { Post } from '../domain/post.js';

export interface SourcePost extends Post {
  views?: number;
  /** Username or title of the channel a forwarded post came from. */
  forwardedFrom?: string;
  /** Telegram album id: several messages shown as one post. */
  groupedId?: string;
  /** The source marks the post edited (the web preview shows "edited" without a date). */
  edited?: boolean;
}

export interface SourcePage {
  posts: SourcePost[];
  /** Ids seen on this page (for deletion detection: an id missing inside a seen range is gone). */
  seenIds?: number[];
}

export type SourceName = 'web' | 'mtproto' | 'file';

export interface Source {
  readonly name: SourceName;
  /** Posts with messageId > afterId, oldest first, at most `limit`. */
  readNewer(channel: string, afterId: number, limit: number): Promise<SourcePost[]>;
  /** The latest `limit` posts, oldest first (the re-read window for edits and deletions). */
  readLatest(channel: string, limit: number): Promise<SourcePost[]>;
  /** Posts older than beforeId, newest first (backfill, gap fill). */
  readOlder(channel: string, beforeId: number, limit: number): Promise<SourcePost[]>;
  close(): Promise<void>;
}

// Errors a source throws live in ./errors.ts (rate limits, unavailable channels, transient failures).
