import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_REGISTRY_PATH,
  RegistryError,
  isRegistryPath,
  loadChannels,
  parseChannelList,
  parseRegistry,
  readRegistryFile,
} from '../../src/sources/registry.js';
import { backoffFor, pollPhase } from '../../src/sources/listener.js';
import { ChannelUnavailableError } from '../../src/sources/errors.js';

describe('the default registry', () => {
  const entries = readRegistryFile(DEFAULT_REGISTRY_PATH);

  it('is valid and lists official channels with home regions', () => {
    expect(entries.length).toBeGreaterThanOrEqual(40);
    const byName = new Map(entries.map((e) => [e.username, e]));
    expect(byName.get('vvgladkov')).toMatchObject({ homeRegion: 'RU-BEL', lang: 'ru', kind: 'governor', confidence: 'likely' });
    expect(byName.get('kpszsu')).toMatchObject({ lang: 'uk', kind: 'air-force' });
    expect(byName.get('kpszsu')?.homeRegion).toBeUndefined();
    expect(byName.get('Aksenov82')?.homeRegion).toBe('UA-43');
    for (const e of entries) expect(e.username).toMatch(/^[A-Za-z0-9_]+$/);
  });
});

describe('parseRegistry', () => {
  it('accepts a bare array and an object with channels', () => {
    expect(parseRegistry([{ username: 'a_b' }])).toEqual([{ username: 'a_b' }]);
    expect(parseRegistry({ channels: [{ username: 'x', homeRegion: 'RU-KLU', pollIntervalMs: 30_000 }] })).toEqual([
      { username: 'x', homeRegion: 'RU-KLU', pollIntervalMs: 30_000 },
    ]);
  });

  it('reports every problem at once', () => {
    try {
      parseRegistry({ channels: [{ username: '@bad' }, { username: 'ok', homeRegion: 'Belgorod', kind: 'bank' }] });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(RegistryError);
      const msg = (err as Error).message;
      expect(msg).toContain('channels.0.username');
      expect(msg).toContain('channels.1.homeRegion');
      expect(msg).toContain('channels.1.kind');
    }
  });

  it('refuses a channel listed twice (usernames are case-insensitive)', () => {
    expect(() => parseRegistry([{ username: 'Gov' }, { username: 'gov' }])).toThrow(/listed twice/);
  });
});

describe('CHANNELS', () => {
  const known = [{ username: 'vvgladkov', homeRegion: 'RU-BEL', lang: 'ru' as const }];

  it('a list takes metadata from the registry, strips @ and t.me links, drops duplicates', () => {
    expect(parseChannelList(' @vvgladkov, https://t.me/s/new_one ,vvgladkov,', known)).toEqual([
      { username: 'vvgladkov', homeRegion: 'RU-BEL', lang: 'ru' },
      { username: 'new_one' },
    ]);
  });

  it('a bad name or an empty list is an error', () => {
    expect(() => parseChannelList('good, bad-name', known)).toThrow(/bad-name/);
    expect(() => parseChannelList(' , ', known)).toThrow(/no channel/);
  });

  it('tells a path from a list', () => {
    expect(isRegistryPath('channels/registry.json')).toBe(true);
    expect(isRegistryPath('./mine.json')).toBe(true);
    expect(isRegistryPath('mod_russia,kpszsu')).toBe(false);
  });

  it('loads the default registry when unset, a file when a path, a list otherwise', () => {
    expect(loadChannels(undefined).length).toBeGreaterThanOrEqual(40);
    const dir = mkdtempSync(join(tmpdir(), 'dw-registry-'));
    const path = join(dir, 'mine.json');
    writeFileSync(path, JSON.stringify({ channels: [{ username: 'only_one', homeRegion: 'UA-63' }] }));
    expect(loadChannels(path)).toEqual([{ username: 'only_one', homeRegion: 'UA-63' }]);
    expect(loadChannels('gusev_36')).toMatchObject([{ username: 'gusev_36', homeRegion: 'RU-VOR' }]);
    expect(() => loadChannels(join(dir, 'missing.json'))).toThrow(/cannot read/);
  });
});

describe('poll scheduling', () => {
  it.each([
    [10, 1_000, [50, 150, 250, 350, 450, 550, 650, 750, 850, 950]],
    [4, 60_000, [7_500, 22_500, 37_500, 52_500]],
    [1, 60_000, [30_000]],
  ])('spreads %i channels evenly over an interval of %i ms', (count, interval, expected) => {
    expect(Array.from({ length: count }, (_, i) => pollPhase(i, count, interval))).toEqual(expected);
  });

  it('keeps every phase inside the interval and above 0 (BullMQ reads 0 as no offset)', () => {
    for (const count of [1, 3, 40, 5_000]) {
      for (let i = 0; i < count; i++) {
        const phase = pollPhase(i, count, 1_000);
        expect(phase).toBeGreaterThan(0);
        expect(phase).toBeLessThan(1_000);
      }
    }
  });

  it('backs off a failing channel exponentially, longer when it is unavailable', () => {
    expect(backoffFor(new Error('x'), 1, 60_000)).toBeUndefined();
    expect(backoffFor(new Error('x'), 3, 60_000)).toBe(60_000);
    expect(backoffFor(new Error('x'), 5, 60_000)).toBe(240_000);
    expect(backoffFor(new Error('x'), 50, 60_000)).toBe(30 * 60_000);
    const gone = new ChannelUnavailableError('c', 'no-preview', 'x');
    expect(backoffFor(gone, 1, 60_000)).toBe(120_000);
    expect(backoffFor(gone, 30, 60_000)).toBe(6 * 3600_000);
  });
});
