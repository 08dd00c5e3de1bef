/**
 * Parses a page of the public web preview (`https://t.me/s/<channel>`). Pure: HTML in, posts out.
 *
 * The page lists posts oldest first as `div.tgme_widget_message[data-post="<channel>/<id>"]`; an
 * album is one widget whose photos link to each member (`…/<id>?single`); older pages are reached
 * through `a.tme_messages_more[data-before]`.
 */
import { parse, NodeType, type HTMLElement, type Node } from 'node-html-parser';

export interface WebPost {
  messageId: number;
  /** ISO 8601 (UTC). */
  date: string;
  text: string;
  /** The page marks the post "edited". */
  edited: boolean;
  /** The edit time, when the page gives one (usually it does not). */
  editedAt?: string;
  views?: number;
  /** Username (when linked) or display name of the forwarded post's origin. */
  forwardedFrom?: string;
  /** Album: `<channel>/<lowest member id>`, the same for every member. */
  groupedId?: string;
  /** Album member ids this widget stands for (the widget's own id included). */
  albumIds?: number[];
  hasMedia: boolean;
}

export interface WebPage {
  posts: WebPost[];
  /** Every message id the page accounts for: posts, album members, service messages. */
  seenIds: number[];
  /** `?before=` value of the link to older posts; absent on the oldest page. */
  olderBefore?: number;
  /** False when the page is not a channel preview at all (a login wall, a user page). */
  isChannelPreview: boolean;
  /** False when the HTML stops before `</html>`: a cut response must not be taken for the page. */
  complete: boolean;
}

/**
 * Real preview pages nest markup a few dozen levels deep. A page nested far deeper is refused before
 * parsing: the parser's time and the text walk's stack grow with the depth (20,000 nested tags
 * overflowed the stack; 20,000 unclosed ones took 20 s to parse).
 */
export const MAX_MARKUP_DEPTH = 512;

export class MalformedPageError extends Error {
  readonly code = 'MALFORMED_PAGE';
  constructor(message: string) {
    super(message);
    this.name = 'MalformedPageError';
  }
}

const VOID_TAGS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

/** The deepest nesting of elements in the markup (linear; stops counting past `limit`). */
export function markupDepth(html: string, limit = Number.POSITIVE_INFINITY): number {
  const markup = html.replace(/<!--[\s\S]*?-->|<(script|style)\b[\s\S]*?<\/\1\s*>/gi, '');
  const tag = /<(\/?)([A-Za-z][A-Za-z0-9-]*)[^>]*?(\/?)>/g;
  let depth = 0;
  let max = 0;
  for (let m = tag.exec(markup); m !== null; m = tag.exec(markup)) {
    if (m[1]) depth = Math.max(0, depth - 1);
    else if (!m[3] && !VOID_TAGS.has(m[2]!.toLowerCase())) {
      depth++;
      if (depth > max) max = depth;
      if (max > limit) break;
    }
  }
  return max;
}

/** Parses one preview page of `channel` (matched case-insensitively against data-post). */
export function parseChannelPage(html: string, channel: string): WebPage {
  const depth = markupDepth(html, MAX_MARKUP_DEPTH);
  if (depth > MAX_MARKUP_DEPTH) throw new MalformedPageError(`markup nested more than ${MAX_MARKUP_DEPTH} levels deep: not a preview page`);
  const root = parse(html, { comment: false, blockTextElements: { script: false, style: false, noscript: false, pre: true } });
  const wanted = channel.toLowerCase();
  const posts: WebPost[] = [];
  const seen = new Set<number>();

  for (const el of root.querySelectorAll('.tgme_widget_message[data-post]')) {
    const ref = parseDataPost(el.getAttribute('data-post') ?? '');
    if (!ref || ref.channel.toLowerCase() !== wanted) continue;
    seen.add(ref.messageId);
    if (hasClass(el, 'service_message')) continue;
    const post = parseMessage(el, ref.messageId, channel);
    if (!post) continue;
    for (const id of post.albumIds ?? []) seen.add(id);
    posts.push(post);
  }
  posts.sort((a, b) => a.messageId - b.messageId);

  const more = root.querySelector('a.tme_messages_more[data-before]');
  const before = more ? Number(more.getAttribute('data-before')) : NaN;
  const page: WebPage = {
    posts,
    seenIds: [...seen].sort((a, b) => a - b),
    isChannelPreview: root.querySelector('.tgme_channel_info') !== null || posts.length > 0 || seen.size > 0,
    complete: /<\/html\s*>\s*$/i.test(html.trimEnd()),
  };
  if (Number.isSafeInteger(before) && before > 0) page.olderBefore = before;
  return page;
}

function parseDataPost(value: string): { channel: string; messageId: number } | undefined {
  const m = /^([A-Za-z0-9_]{1,64})\/(\d{1,15})$/.exec(value.trim());
  if (!m) return undefined;
  const messageId = Number(m[2]);
  return messageId > 0 ? { channel: m[1]!, messageId } : undefined;
}

function hasClass(el: HTMLElement, name: string): boolean {
  return el.classList.contains(name);
}

function parseMessage(el: HTMLElement, messageId: number, channel: string): WebPost | undefined {
  const date = el.querySelector('.tgme_widget_message_date time[datetime]')?.getAttribute('datetime');
  const ms = date ? Date.parse(date) : NaN;
  // A post without a date cannot be placed in time; the page is malformed there, skip it.
  if (Number.isNaN(ms)) return undefined;

  // The post's own text, not the quoted text of a reply or the description of a link preview.
  const textEl = el
    .querySelectorAll('.tgme_widget_message_text')
    .find((t) => !insideClass(t, el, 'tgme_widget_message_reply') && !insideClass(t, el, 'tgme_widget_message_link_preview'));
  const post: WebPost = {
    messageId,
    date: new Date(ms).toISOString(),
    text: textEl ? renderText(textEl) : '',
    edited: isEdited(el),
    hasMedia: el.querySelector('.tgme_widget_message_photo_wrap, .tgme_widget_message_video_player, .tgme_widget_message_document, .tgme_widget_message_roundvideo_player, .tgme_widget_message_voice_player, .tgme_widget_message_sticker_wrap') !== null,
  };
  const editedAt = el.querySelector('.tgme_widget_message_edited time[datetime]')?.getAttribute('datetime');
  if (editedAt && !Number.isNaN(Date.parse(editedAt))) post.editedAt = new Date(Date.parse(editedAt)).toISOString();
  const views = parseViews(el.querySelector('.tgme_widget_message_views')?.text ?? '');
  if (views !== undefined) post.views = views;
  const fwd = forwardedFrom(el);
  if (fwd) post.forwardedFrom = fwd;
  const album = albumMembers(el, channel);
  if (album.length > 0) {
    const ids = [...new Set([messageId, ...album])].sort((a, b) => a - b);
    post.albumIds = ids;
    post.groupedId = `${channel}/${ids[0]}`;
  }
  return post;
}

function insideClass(node: HTMLElement, stop: HTMLElement, cls: string): boolean {
  for (let p = node.parentNode; p && p !== stop; p = p.parentNode) if (p.classList?.contains(cls)) return true;
  return false;
}

const BLOCK_TAGS = new Set(['p', 'div', 'blockquote', 'pre', 'li']);

/**
 * The post's plain text: `<br>` → newline, emoji kept (the `<b>` inside `i.emoji`, or an `<img alt>`),
 * links as their visible text, entities decoded.
 */
export function renderText(el: HTMLElement): string {
  const out: string[] = [];
  walk(el, out);
  return out
    .join('')
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function walk(node: Node, out: string[]): void {
  if (node.nodeType === NodeType.TEXT_NODE) {
    out.push(node.text);
    return;
  }
  if (node.nodeType !== NodeType.ELEMENT_NODE) return;
  const el = node as HTMLElement;
  const tag = el.rawTagName?.toLowerCase() ?? '';
  if (tag === 'br') {
    out.push('\n');
    return;
  }
  if (tag === 'img') {
    out.push(el.getAttribute('alt') ?? '');
    return;
  }
  if (tag === 'script' || tag === 'style') return;
  const block = BLOCK_TAGS.has(tag);
  if (block && out.length > 0 && !out[out.length - 1]!.endsWith('\n')) out.push('\n');
  for (const child of el.childNodes) walk(child, out);
  if (block) out.push('\n');
}

function isEdited(el: HTMLElement): boolean {
  if (el.querySelector('.tgme_widget_message_edited') !== null) return true;
  const meta = el.querySelector('.tgme_widget_message_meta');
  if (!meta) return false;
  const dateText = meta.querySelector('.tgme_widget_message_date')?.text ?? '';
  return /\bedited\b/i.test(meta.text.replace(dateText, ''));
}

/** "987" → 987, "1.2K" → 1200, "3.4M" → 3400000. */
export function parseViews(text: string): number | undefined {
  const m = /^\s*([\d.,]+)\s*([KkMm]?)\s*$/.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]!.replace(',', '.'));
  if (!Number.isFinite(n)) return undefined;
  const scale = m[2]!.toUpperCase() === 'K' ? 1_000 : m[2]!.toUpperCase() === 'M' ? 1_000_000 : 1;
  return Math.round(n * scale);
}

function forwardedFrom(el: HTMLElement): string | undefined {
  const name = el.querySelector('.tgme_widget_message_forwarded_from_name');
  if (!name) return undefined;
  const href = name.getAttribute('href') ?? '';
  const m = /^https?:\/\/t\.me\/(?:s\/)?([A-Za-z0-9_]{1,64})(?:\/\d+)?\/?$/.exec(href);
  if (m) return m[1];
  const text = name.text.trim();
  return text === '' ? undefined : text;
}

function albumMembers(el: HTMLElement, channel: string): number[] {
  const wrap = el.querySelector('.tgme_widget_message_grouped_wrap');
  if (!wrap) return [];
  const ids: number[] = [];
  const re = new RegExp(`/${channel}/(\\d+)\\?single`, 'i');
  for (const a of wrap.querySelectorAll('a[href]')) {
    const m = re.exec(a.getAttribute('href') ?? '');
    if (m) ids.push(Number(m[1]));
  }
  return ids;
}
