/** A post as the contract defines it (CONTRACT.md, "Post (input)"). */
export type Lang = 'ru' | 'uk' | 'en';

export interface Post {
  /** `<channel>/<messageId>` unless the input gave one. */
  id: string;
  channel: string;
  messageId: number;
  /** ISO 8601. */
  date: string;
  editDate?: string;
  text: string;
  lang?: Lang;
  /** ISO 3166-2 home region of a regional channel. */
  channelRegion?: string;
}

export type PostParseResult = { ok: true; post: Post } | { ok: false; reason: string };

const MAX_TEXT_CHARS = 1_000_000;
const CHANNEL_RE = /^[A-Za-z0-9_]{1,64}$/;
const REGION_RE = /^[A-Z]{2}-[A-Z0-9]{1,3}$/;

function isIsoDate(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 40 && /^\d{4}-\d{2}-\d{2}/.test(value) && !Number.isNaN(Date.parse(value));
}

/**
 * Validates an untrusted value as a Post. Returns every problem at once, so that an operator
 * reading the failed set sees all that is wrong with the input.
 */
export function parsePost(value: unknown): PostParseResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: 'post is not a JSON object' };
  }
  const v = value as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof v.channel !== 'string' || !CHANNEL_RE.test(v.channel)) problems.push('channel: expected a Telegram username (letters, digits, _)');
  if (typeof v.messageId !== 'number' || !Number.isSafeInteger(v.messageId) || v.messageId <= 0) problems.push('messageId: expected a positive integer');
  if (!isIsoDate(v.date)) problems.push('date: expected an ISO 8601 date');
  if (v.editDate !== undefined && v.editDate !== null && !isIsoDate(v.editDate)) problems.push('editDate: expected an ISO 8601 date');
  if (typeof v.text !== 'string') problems.push('text: expected a string');
  else if (v.text.length > MAX_TEXT_CHARS) problems.push(`text: ${v.text.length} characters, more than the ${MAX_TEXT_CHARS} allowed`);
  if (v.lang !== undefined && v.lang !== null && v.lang !== 'ru' && v.lang !== 'uk' && v.lang !== 'en') problems.push('lang: expected ru, uk or en');
  if (v.channelRegion !== undefined && v.channelRegion !== null && (typeof v.channelRegion !== 'string' || !REGION_RE.test(v.channelRegion))) {
    problems.push('channelRegion: expected an ISO 3166-2 code such as RU-KLU');
  }
  if (v.id !== undefined && (typeof v.id !== 'string' || v.id.length === 0 || v.id.length > 200)) problems.push('id: expected a non-empty string');
  if (problems.length > 0) return { ok: false, reason: problems.join('; ') };

  const channel = v.channel as string;
  const messageId = v.messageId as number;
  const post: Post = {
    id: (v.id as string | undefined) ?? `${channel}/${messageId}`,
    channel,
    messageId,
    date: v.date as string,
    text: v.text as string,
  };
  if (typeof v.editDate === 'string') post.editDate = v.editDate;
  if (typeof v.lang === 'string') post.lang = v.lang as Lang;
  if (typeof v.channelRegion === 'string') post.channelRegion = v.channelRegion;
  return { ok: true, post };
}

export function postUrl(post: Pick<Post, 'channel' | 'messageId'>): string {
  return `https://t.me/${post.channel}/${post.messageId}`;
}
