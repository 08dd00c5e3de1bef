import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseChannelPage, parseViews, renderText } from '../../src/sources/web-parse.js';
import { parse, type HTMLElement } from 'node-html-parser';
import { renderPage, renderTextHtml, type FakeChannel } from '../helpers/fake-tme.js';

const channel = (posts: FakeChannel['posts']): FakeChannel => ({ username: 'gov_test', title: 'Governor of Test Oblast', posts });

describe('parseChannelPage', () => {
  it('reads ids, dates, text with line breaks, emoji and links', () => {
    const html = renderPage(
      channel([
        { id: 7, date: '2026-03-01T05:10:00Z', text: '🚀 Ночью сбиты 3 БПЛА.\nПодробности: https://example.org/news?id=1 ⚠️\n\nВторой абзац' },
        { id: 8, date: '2026-03-01T06:00:00Z', text: 'Без пострадавших 🙏🏻', views: 12_345 },
      ]),
      undefined,
      20,
    );
    const page = parseChannelPage(html, 'gov_test');
    expect(page.complete).toBe(true);
    expect(page.isChannelPreview).toBe(true);
    expect(page.olderBefore).toBeUndefined();
    expect(page.posts.map((p) => p.messageId)).toEqual([7, 8]);
    expect(page.posts[0]).toMatchObject({
      date: '2026-03-01T05:10:00.000Z',
      text: '🚀 Ночью сбиты 3 БПЛА.\nПодробности: https://example.org/news?id=1 ⚠️\n\nВторой абзац',
      edited: false,
      hasMedia: false,
    });
    expect(page.posts[1]!.text).toBe('Без пострадавших 🙏🏻');
    expect(page.posts[1]!.views).toBe(12_300);
  });

  it('reads the edit marker, forwarded-from and album grouping', () => {
    const html = renderPage(
      channel([
        { id: 10, date: '2026-03-02T10:00:00Z', text: 'Уточнение: 5 БПЛА', edited: true },
        { id: 11, date: '2026-03-02T11:00:00Z', text: 'Сводка', forwardedFrom: { name: 'Минобороны России', username: 'mod_russia' } },
        { id: 12, date: '2026-03-02T12:00:00Z', text: 'Последствия атаки', album: [12, 13, 14] },
        { id: 15, date: '2026-03-02T13:00:00Z', text: '', photo: true },
      ]),
      undefined,
      20,
    );
    const page = parseChannelPage(html, 'GOV_TEST');
    const [edited, fwd, album, photo] = page.posts;
    expect(edited).toMatchObject({ messageId: 10, edited: true });
    expect(fwd).toMatchObject({ messageId: 11, forwardedFrom: 'mod_russia', edited: false });
    expect(album).toMatchObject({ messageId: 12, groupedId: 'GOV_TEST/12', albumIds: [12, 13, 14], hasMedia: true });
    expect(photo).toMatchObject({ messageId: 15, text: '', hasMedia: true });
    expect(page.seenIds).toEqual([10, 11, 12, 13, 14, 15]);
  });

  it('keeps service messages out of posts but in the seen ids', () => {
    const html = renderPage(channel([{ id: 1, date: '2026-01-01T00:00:00Z', text: '', service: 'Channel created' }, { id: 2, date: '2026-01-01T00:01:00Z', text: 'Первый пост' }]), undefined, 20);
    const page = parseChannelPage(html, 'gov_test');
    expect(page.posts.map((p) => p.messageId)).toEqual([2]);
    expect(page.seenIds).toEqual([1, 2]);
  });

  it('finds the link to older posts and paginates with before', () => {
    const posts = Array.from({ length: 45 }, (_, i) => ({ id: i + 1, date: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(), text: `post ${i + 1}` }));
    const latest = parseChannelPage(renderPage(channel(posts), undefined, 20), 'gov_test');
    expect(latest.posts.map((p) => p.messageId)).toEqual(Array.from({ length: 20 }, (_, i) => i + 26));
    expect(latest.olderBefore).toBe(26);
    const older = parseChannelPage(renderPage(channel(posts), 26, 20), 'gov_test');
    expect(older.posts[0]!.messageId).toBe(6);
    expect(older.olderBefore).toBe(6);
    const oldest = parseChannelPage(renderPage(channel(posts), 6, 20), 'gov_test');
    expect(oldest.posts.map((p) => p.messageId)).toEqual([1, 2, 3, 4, 5]);
    expect(oldest.olderBefore).toBeUndefined();
  });

  it('ignores posts of other channels and markup inside scripts', () => {
    const html = renderPage(channel([{ id: 3, date: '2026-01-01T00:00:00Z', text: 'ok' }]), undefined, 20).replace(
      '</section>',
      '<div class="tgme_widget_message" data-post="other_channel/99"><time datetime="2026-01-01T00:00:00Z"></time></div></section>',
    );
    expect(parseChannelPage(html, 'gov_test').posts.map((p) => p.messageId)).toEqual([3]);
  });

  it('flags a cut page and a page that is no channel preview', () => {
    const html = renderPage(channel([{ id: 3, date: '2026-01-01T00:00:00Z', text: 'ok' }]), undefined, 20);
    expect(parseChannelPage(html.slice(0, html.length - 200), 'gov_test').complete).toBe(false);
    const login = '<!DOCTYPE html><html><body><div class="tgme_page"><div class="tgme_page_title">Test</div></div></body></html>';
    expect(parseChannelPage(login, 'gov_test')).toMatchObject({ isChannelPreview: false, complete: true, posts: [] });
  });

  it('reads the post text, not a quoted reply or a link preview, and an edit time when given', () => {
    const html = `<html><body><div class="tgme_channel_info"></div>
      <div class="tgme_widget_message" data-post="gov_test/9">
        <a class="tgme_widget_message_reply" href="https://t.me/gov_test/8"><div class="tgme_widget_message_text js-message_text">quoted older post</div></a>
        <a class="tgme_widget_message_link_preview" href="https://example.org"><div class="tgme_widget_message_text js-message_text">preview card</div></a>
        <div class="tgme_widget_message_text js-message_text" dir="auto">Уточнение: сбито <b>7</b> БПЛА</div>
        <span class="tgme_widget_message_meta"><span class="tgme_widget_message_edited"><time datetime="2026-08-30T11:30:00+00:00">edited 11:30</time></span>
        <a class="tgme_widget_message_date" href="https://t.me/gov_test/9"><time datetime="2026-08-30T10:00:00+00:00">10:00</time></a></span>
      </div></body></html>`;
    const [post] = parseChannelPage(html, 'gov_test').posts;
    expect(post).toMatchObject({ messageId: 9, text: 'Уточнение: сбито 7 БПЛА', edited: true, editedAt: '2026-08-30T11:30:00.000Z', date: '2026-08-30T10:00:00.000Z' });
  });

  it('skips a post widget without a date rather than inventing one', () => {
    const html = `<html><body><div class="tgme_channel_info"></div>
      <div class="tgme_widget_message" data-post="gov_test/5"><div class="tgme_widget_message_text">no date</div></div>
      <div class="tgme_widget_message" data-post="gov_test/6"><div class="tgme_widget_message_text">dated</div><a class="tgme_widget_message_date"><time datetime="2026-01-02T03:04:05+03:00"></time></a></div>
      </body></html>`;
    const page = parseChannelPage(html, 'gov_test');
    expect(page.posts.map((p) => [p.messageId, p.date])).toEqual([[6, '2026-01-02T00:04:05.000Z']]);
    expect(page.seenIds).toEqual([5, 6]);
  });
});

describe('renderText', () => {
  it('turns br into newlines, keeps img alt and custom emoji, decodes entities, reads links as text', () => {
    const el = parse(
      '<div class="tgme_widget_message_text">A &amp; B &lt;3&gt;<br>line 2 <img class="emoji" alt="🔥"> <tg-emoji emoji-id="5"><i class="emoji"><b>❗️</b></i></tg-emoji><br/><a href="https://t.me/x">t.me/x</a> <b>bold</b> <tg-spoiler>hidden</tg-spoiler>&nbsp;end</div>',
    ).firstChild as HTMLElement;
    expect(renderText(el)).toBe('A & B <3>\nline 2 🔥 ❗️\nt.me/x bold hidden\u00a0end');
  });

  it('keeps paragraph breaks of block quotes', () => {
    const el = parse('<div>Intro<blockquote>quoted<br>text</blockquote>after</div>').firstChild as HTMLElement;
    expect(renderText(el)).toBe('Intro\nquoted\ntext\nafter');
  });
});

describe('parseViews', () => {
  it.each([
    ['987', 987],
    ['1.2K', 1200],
    ['12.3K', 12300],
    ['3.4M', 3_400_000],
    ['', undefined],
    ['views', undefined],
  ])('%s → %s', (text, expected) => {
    expect(parseViews(text)).toBe(expected);
  });
});

describe('text round trip', () => {
  // What renderText promises: the text as posted, trimmed, without trailing blanks on a line and
  // with at most one empty line in a row.
  const normalize = (t: string) => t.replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
  const pieces = fc.constantFrom('Над', 'областью', 'сбиты', '5', 'БПЛА', 'Збито', 'шахедів', '🚀', '⚡️', '🇺🇦', '👍🏻', '❗️', '&', '<b>', '"', "'", ' ', ' ', '\n', '\n\n', 'https://t.me/x/1', '—', '\u00a0');

  it('what the page shows is what the post said: emoji, line breaks, markup characters, links', () => {
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        const html = `<div class="tgme_widget_message_text">${renderTextHtml(text)}</div>`;
        expect(renderText(parse(html).firstChild as HTMLElement)).toBe(normalize(text));
      }),
      { numRuns: 300 },
    );
  });
});
