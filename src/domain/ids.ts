/** Deterministic identifiers. BullMQ job ids may not contain ':'. */
import type { Post } from './post.js';

function safe(part: string): string {
  return part.replace(/[^A-Za-z0-9_.-]/g, '_');
}

/** Job id of one version of a post: channel + message id + edit date (epoch ms, 0 when never edited). */
export function postJobId(post: Pick<Post, 'channel' | 'messageId' | 'editDate'>): string {
  const edit = post.editDate ? Date.parse(post.editDate) : 0;
  return `post-${safe(post.channel)}-${post.messageId}-${Number.isNaN(edit) ? 0 : edit}`;
}

/** `<post id>#<n>`, n counting records of the post from 0 in text order. */
export function recordId(postId: string, n: number): string {
  return `${postId}#${n}`;
}
