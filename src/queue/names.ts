/** Queue names and the one typed job contract. Never put secrets in job data. */
import type { Post, PostVersionKey } from '../domain/post.js';

export type { PostVersionKey };

export const QUEUES = { posts: 'posts', polls: 'polls', alerts: 'alerts' } as const;

/** A post version to extract. `replay` marks operator-initiated re-extraction. */
export interface PostJobData {
  kind: 'post';
  post: Post;
  replay?: boolean;
}

/**
 * Archived post versions to re-extract (`replay`), many to a job: the worker reads their texts from
 * the archive in one query and saves them in batches. Keys only, so the job stays small.
 */
export interface ReplayBatchJobData {
  kind: 'replay-batch';
  versions: PostVersionKey[];
}

/** What the posts queue carries. */
export type PostsQueueJobData = PostJobData | ReplayBatchJobData;

/** Poll one channel (the listener's scheduler creates these). */
export interface PollJobData {
  kind: 'poll';
  channel: string;
}

/** Deliver one event to one webhook subscriber (identified by name; the secret stays in config). */
export interface AlertJobData {
  kind: 'webhook';
  subscriber: string;
  eventId: string;
  recordId: string;
  type: 'incident.created' | 'incident.updated' | 'incident.retracted';
  timestamp: number;
  body: string;
  /** Job id of the previous event of the same record for this subscriber: delivered first (ordering). */
  after?: string;
}

export type JobData = PostsQueueJobData | PollJobData | AlertJobData;
