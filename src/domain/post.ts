/** A post as the contract defines it (CONTRACT.md, "Post (input)"). */
export type Lang = 'ru' | 'uk' | 'en';

/** One archived version of a post (the archive's primary key). */
export interface PostVersionKey {
  channel: string;
  messageId: number;
  version: number;
}

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
  if (typeof value !== 'string' || value.length > 40) return false;
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!m || Number.isNaN(Date.parse(value))) return false;
  // Date.parse rolls 2026-02-29 over to March 1st; PostgreSQL refuses it. Check the calendar day.
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text as it can be stored and sent on: unpaired UTF-16 surrogates (invalid Unicode, refused by
 * PostgreSQL's jsonb) and NUL characters (refused by PostgreSQL's text) become U+FFFD, one unit for
 * one, so that offsets into the text stay valid. Any UTF-8 encoder would make the same replacement.
 */
export function wellFormedText(text: string): string {
  return text.replace(LONE_SURROGATE, '\ufffd').replace(/\u0000/g, '\ufffd');
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
  if (v.id !== undefined && (typeof v.id !== 'string' || v.id.length === 0 || v.id.length > 200 || wellFormedText(v.id) !== v.id || /[\u0000-\u001f\u007f]/.test(v.id))) {
    problems.push('id: expected a non-empty string of printable characters');
  }
  if (problems.length > 0) return { ok: false, reason: problems.join('; ') };

  const channel = v.channel as string;
  const messageId = v.messageId as number;
  const post: Post = {
    id: (v.id as string | undefined) ?? `${channel}/${messageId}`,
    channel,
    messageId,
    date: v.date as string,
    text: wellFormedText(v.text as string),
  };
  if (typeof v.editDate === 'string') post.editDate = v.editDate;
  if (typeof v.lang === 'string') post.lang = v.lang as Lang;
  if (typeof v.channelRegion === 'string') post.channelRegion = v.channelRegion;
  return { ok: true, post };
}

export function postUrl(post: Pick<Post, 'channel' | 'messageId'>): string {
  return `https://t.me/${post.channel}/${post.messageId}`;
}
