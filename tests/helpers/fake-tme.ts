/**
 * A local stand-in for the public web preview (`https://t.me/s/<channel>`): channels held in memory,
 * rendered as preview pages in the markup t.me uses (posts oldest first, 20 per page, `?before=`
 * paging through `a.tme_messages_more[data-before]`). Tests change channels while it runs (new,
 * edited, deleted posts) and script faults (429 with Retry-After, 5xx, cut responses).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface FakePost {
  id: number;
  /** ISO 8601. */
  date: string;
  /** Plain text; newlines become <br/>, emoji become t.me's emoji markup, URLs become links. */
  text: string;
  edited?: boolean;
  views?: number;
  forwardedFrom?: { name: string; username?: string };
  /** Album: the member ids (this post's id included); one widget stands for all of them. */
  album?: number[];
  /** A photo without album. */
  photo?: boolean;
  /** Raw inner HTML of the text block, used instead of rendering `text`. */
  html?: string;
  /** A service message ("Channel photo updated"). */
  service?: string;
  deleted?: boolean;
}

export interface FakeChannel {
  username: string;
  title: string;
  posts: FakePost[];
  /** The channel exists but has no public preview: /s/ redirects away. */
  noPreview?: boolean;
}

export type Fault =
  /** No fault: answer normally (to place a fault after some good answers). */
  | { kind: 'pass' }
  | { kind: 'status'; status: number; retryAfter?: string }
  /** Headers and half the body, then the connection is destroyed. */
  | { kind: 'truncate' }
  /** A well-formed HTTP response whose HTML stops in the middle. */
  | { kind: 'partial-html' }
  /** A body larger than any preview page. */
  | { kind: 'huge'; bytes: number }
  /** No answer for this long. */
  | { kind: 'hang'; ms: number };

export interface RecordedRequest {
  path: string;
  channel?: string;
  before?: number;
  status: number;
  userAgent?: string;
  at: number;
}

export class FakeTme {
  readonly channels = new Map<string, FakeChannel>();
  readonly requests: RecordedRequest[] = [];
  pageSize = 20;
  private server?: Server;
  private readonly faults = new Map<string, Fault[]>();
  private openSockets = new Set<Socket>();

  get url(): string {
    const addr = this.server?.address() as AddressInfo | null;
    if (!addr) throw new Error('fake t.me not started');
    return `http://127.0.0.1:${addr.port}`;
  }

  addChannel(username: string, posts: FakePost[] = [], options: { title?: string; noPreview?: boolean } = {}): FakeChannel {
    const ch: FakeChannel = { username, title: options.title ?? `${username} (official)`, posts: [...posts], noPreview: options.noPreview ?? false };
    this.channels.set(username.toLowerCase(), ch);
    return ch;
  }

  channel(username: string): FakeChannel {
    const ch = this.channels.get(username.toLowerCase());
    if (!ch) throw new Error(`fake t.me has no channel ${username}`);
    return ch;
  }

  addPost(username: string, post: FakePost): void {
    this.channel(username).posts.push(post);
  }

  /** Changes a post's text and marks it edited, as Telegram does. */
  editPost(username: string, id: number, text: string): void {
    const post = this.find(username, id);
    post.text = text;
    delete post.html;
    post.edited = true;
  }

  deletePost(username: string, id: number): void {
    this.find(username, id).deleted = true;
  }

  /** The next requests for this channel (any page) meet these faults, in order. */
  failNext(username: string, ...faults: Fault[]): void {
    const list = this.faults.get(username.toLowerCase()) ?? [];
    list.push(...faults);
    this.faults.set(username.toLowerCase(), list);
  }

  requestsFor(username: string): RecordedRequest[] {
    return this.requests.filter((r) => r.channel?.toLowerCase() === username.toLowerCase());
  }

  private find(username: string, id: number): FakePost {
    const post = this.channel(username).posts.find((p) => p.id === id);
    if (!post) throw new Error(`fake t.me: ${username} has no post ${id}`);
    return post;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.on('connection', (s) => {
      this.openSockets.add(s);
      s.on('close', () => this.openSockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this.url;
  }

  async stop(): Promise<void> {
    for (const s of this.openSockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private record(req: IncomingMessage, status: number, channel?: string, before?: number): void {
    const entry: RecordedRequest = { path: req.url ?? '', status, at: Date.now() };
    if (channel) entry.channel = channel;
    if (before !== undefined) entry.before = before;
    const ua = req.headers['user-agent'];
    if (ua) entry.userAgent = ua;
    this.requests.push(entry);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const m = /^\/s\/([A-Za-z0-9_]+)\/?$/.exec(url.pathname);
    if (!m) {
      this.record(req, 200);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!DOCTYPE html><html><head><title>Telegram</title></head><body><div class="tgme_page">${escapeHtml(url.pathname)}</div></body></html>`);
      return;
    }
    const name = m[1]!;
    const beforeParam = url.searchParams.get('before');
    const before = beforeParam ? Number(beforeParam) : undefined;
    const fault = this.faults.get(name.toLowerCase())?.shift();
    if (fault && fault.kind !== 'pass') {
      this.applyFault(fault, req, res, name, before);
      return;
    }
    const ch = this.channels.get(name.toLowerCase());
    if (!ch || ch.noPreview) {
      // t.me sends unknown channels and channels without preview to the plain page.
      this.record(req, 302, name, before);
      res.writeHead(302, { location: `/${name}` });
      res.end();
      return;
    }
    const html = renderPage(ch, before, this.pageSize);
    this.record(req, 200, name, before);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) });
    res.end(html);
  }

  private applyFault(fault: Fault, req: IncomingMessage, res: ServerResponse, name: string, before?: number): void {
    const ch = this.channels.get(name.toLowerCase());
    const html = ch ? renderPage(ch, before, this.pageSize) : '<html></html>';
    switch (fault.kind) {
      case 'pass':
        return;
      case 'status': {
        this.record(req, fault.status, name, before);
        const headers: Record<string, string> = { 'content-type': 'text/html' };
        if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
        res.writeHead(fault.status, headers);
        res.end(`<html><body>${fault.status}</body></html>`);
        return;
      }
      case 'truncate': {
        this.record(req, 200, name, before);
        const bytes = Buffer.from(html);
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': bytes.length });
        res.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
        setTimeout(() => res.socket?.destroy(), 20);
        return;
      }
      case 'partial-html': {
        this.record(req, 200, name, before);
        // Cut inside the newest post's text: a parser taking this for the page would archive half a text.
        const cut = html.slice(0, html.lastIndexOf('tgme_widget_message_text') + 60);
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(cut);
        return;
      }
      case 'huge': {
        this.record(req, 200, name, before);
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        const chunk = Buffer.alloc(64 * 1024, 'a');
        let sent = 0;
        const pump = () => {
          while (sent < fault.bytes) {
            sent += chunk.length;
            if (!res.write(chunk)) {
              res.once('drain', pump);
              return;
            }
          }
          res.end();
        };
        res.on('error', () => undefined);
        pump();
        return;
      }
      case 'hang': {
        this.record(req, 0, name, before);
        setTimeout(() => {
          if (!res.destroyed) {
            res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
            res.end(html);
          }
        }, fault.ms);
        return;
      }
    }
  }
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const EMOJI_RE = /(\p{Extended_Pictographic}(?:\uFE0F|\u200D\p{Extended_Pictographic}|[\u{1F3FB}-\u{1F3FF}])*|[\u{1F1E6}-\u{1F1FF}]{2})/gu;
const URL_RE = /https?:\/\/[^\s<]+/g;

function emojiCode(e: string): string {
  return [...Buffer.from(e, 'utf8')].map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join('');
}

/** Plain text → t.me's text markup: escaped, <br/> for newlines, emoji in <i class="emoji"><b>…</b></i>, links. */
export function renderTextHtml(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      let out = '';
      let last = 0;
      for (const m of line.matchAll(URL_RE)) {
        out += renderEmoji(escapeHtml(line.slice(last, m.index)));
        out += `<a href="${escapeHtml(m[0])}" target="_blank" rel="noopener">${escapeHtml(m[0])}</a>`;
        last = m.index! + m[0].length;
      }
      return out + renderEmoji(escapeHtml(line.slice(last)));
    })
    .join('<br/>');
}

function renderEmoji(escaped: string): string {
  return escaped.replace(EMOJI_RE, (e) => `<i class="emoji" style="background-image:url('//telegram.org/img/emoji/40/${emojiCode(e)}.png')"><b>${e}</b></i>`);
}

function fmtViews(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(1)}M`;
  if (n >= 1_000) return `${(n / 1_000).toFixed(1)}K`;
  return String(n);
}

function renderPost(ch: FakeChannel, p: FakePost): string {
  const name = ch.username;
  if (p.service) {
    return `<div class="tgme_widget_message_wrap js-widget_message_wrap"><div class="tgme_widget_message service_message js-widget_message" data-post="${name}/${p.id}"><div class="tgme_widget_message_bubble"><div class="tgme_widget_message_text js-message_text">${escapeHtml(p.service)}</div></div></div></div>`;
  }
  const fwd = p.forwardedFrom
    ? `<div class="tgme_widget_message_forwarded_from accent_color">Forwarded from <a class="tgme_widget_message_forwarded_from_name" href="${p.forwardedFrom.username ? `https://t.me/${p.forwardedFrom.username}/1` : '#'}"><span dir="auto">${escapeHtml(p.forwardedFrom.name)}</span></a></div>`
    : '';
  const album = p.album
    ? `<div class="tgme_widget_message_grouped_wrap js-message_grouped_wrap" data-margin-w="2" data-margin-h="2" style="width:453px;"><div class="tgme_widget_message_grouped js-message_grouped" style="padding-top:66%"><div class="tgme_widget_message_grouped_layer js-message_grouped_layer">${p.album
        .map((id) => `<a class="tgme_widget_message_photo_wrap grouped_media_wrap blured js-message_photo" style="width:225px;height:300px;background-image:url('https://cdn4.telesco.pe/file/${id}.jpg')" data-ratio="0.75" href="https://t.me/${name}/${id}?single"></a>`)
        .join('')}</div></div></div>`
    : '';
  const photo = p.photo ? `<a class="tgme_widget_message_photo_wrap blured" href="https://t.me/${name}/${p.id}" style="width:453px;background-image:url('https://cdn4.telesco.pe/file/p${p.id}.jpg')"></a>` : '';
  const text = p.html ?? (p.text ? renderTextHtml(p.text) : '');
  const textBlock = text ? `<div class="tgme_widget_message_text js-message_text" dir="auto">${text}</div>` : '';
  const views = p.views !== undefined ? `<span class="tgme_widget_message_views">${fmtViews(p.views)}</span><span class="copyonly"> views</span>` : '';
  const time = new Date(p.date).toISOString().replace('.000Z', '+00:00');
  return `<div class="tgme_widget_message_wrap js-widget_message_wrap"><div class="tgme_widget_message text_not_supported_wrap js-widget_message" data-post="${name}/${p.id}" data-view="eyJjIjotMTAwMTIzfQ">
  <div class="tgme_widget_message_user"><a href="https://t.me/${name}"><i class="tgme_widget_message_user_photo"></i></a></div>
  <div class="tgme_widget_message_bubble">
    <div class="tgme_widget_message_author accent_color"><a class="tgme_widget_message_owner_name" href="https://t.me/${name}"><span dir="auto">${escapeHtml(ch.title)}</span></a></div>
    ${fwd}${album}${photo}${textBlock}
    <div class="tgme_widget_message_footer compact js-message_footer"><div class="tgme_widget_message_info short js-message_info">${views}<span class="tgme_widget_message_meta">${p.edited ? 'edited ' : ''}<a class="tgme_widget_message_date" href="https://t.me/${name}/${p.id}"><time datetime="${time}" class="time">${time.slice(11, 16)}</time></a></span></div></div>
  </div>
</div></div>`;
}

/** One preview page: the newest `pageSize` visible posts before `before` (all when absent), oldest first. */
export function renderPage(ch: FakeChannel, before: number | undefined, pageSize: number): string {
  const visible = ch.posts.filter((p) => !p.deleted).sort((a, b) => a.id - b.id);
  const eligible = before === undefined ? visible : visible.filter((p) => p.id < before);
  const page = eligible.slice(Math.max(0, eligible.length - pageSize));
  const hasOlder = eligible.length > page.length;
  const more = hasOlder && page[0] ? `<a href="/s/${ch.username}?before=${page[0].id}" class="tme_messages_more js-messages_more" data-before="${page[0].id}"></a>` : '';
  return `<!DOCTYPE html>
<html>
  <head>
    <meta charset="utf-8">
    <title>${escapeHtml(ch.title)} – Telegram</title>
    <script>var T = {"tgme_widget_message": "<div class=\\"tgme_widget_message\\" data-post=\\"fake/1\\">"};</script>
  </head>
  <body class="widget_frame_base tgme_webpreview">
    <header class="tgme_header"><div class="tgme_channel_info"><div class="tgme_channel_info_header_title"><span dir="auto">${escapeHtml(ch.title)}</span></div><div class="tgme_channel_info_header_username"><a href="https://t.me/${ch.username}">@${ch.username}</a></div></div></header>
    <main class="tgme_main"><section class="tgme_channel_history js-message_history">
${more}
${page.map((p) => renderPost(ch, p)).join('\n')}
    </section></main>
  </body>
</html>
`;
}
