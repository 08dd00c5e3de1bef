/** Replay selections: CLI parsing, validation, and the HTTP form. */
import { describe, expect, it } from 'vitest';
import { parseWhen, selectionOf, selectionToJson } from '../../src/cli/commands/replay.js';
import { parseSelection } from '../../src/http/dashboard.js';
import { selectionProblems } from '../../src/replay.js';

describe('replay selection', () => {
  it('parses ISO dates and spans back from now', () => {
    const now = Date.parse('2026-11-26T00:00:00Z');
    expect(parseWhen('2026-11-01', now).toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(parseWhen('2026-11-01T06:30:00Z', now).toISOString()).toBe('2026-11-01T06:30:00.000Z');
    expect(parseWhen('12h', now).toISOString()).toBe('2026-11-25T12:00:00.000Z');
    expect(parseWhen('2w', now).toISOString()).toBe('2026-11-12T00:00:00.000Z');
    expect(() => parseWhen('yesterday', now)).toThrow('ISO 8601');
    expect(() => parseWhen('2026-13-45', now)).toThrow();
  });

  it('refuses an empty or contradictory selection, all problems at once', () => {
    expect(selectionProblems({})).toEqual([expect.stringContaining('name what to replay')]);
    expect(selectionProblems({ all: true, channel: 'x' })).toHaveLength(1);
    const p = selectionProblems({ fromId: 9, toId: 3, since: new Date(2), until: new Date(1) });
    expect(p).toEqual([
      expect.stringContaining('need --channel'),
      expect.stringContaining('greater than'),
      expect.stringContaining('--since is not before --until'),
    ]);
    expect(selectionProblems(selectionOf({ channel: '@mod_russia', outdated: true }))).toEqual([]);
    expect(selectionOf({ channel: '@mod_russia' }).channel).toBe('mod_russia');
  });

  it('round-trips through the HTTP form and rejects what the CLI would not send', () => {
    const sel = { channel: 'kursk', fromId: 10, toId: 20, since: new Date('2026-11-01T00:00:00Z'), failed: true };
    expect(parseSelection(JSON.parse(JSON.stringify(selectionToJson(sel))))).toEqual(sel);
    expect(() => parseSelection({ channel: 'a b', fromId: -1, since: 'soon', all: 'yes', drop: 1 })).toThrow(
      /channel.*fromId.*since.*all.*unknown keys: drop/,
    );
    expect(() => parseSelection(null)).toThrow('expected an object');
  });
});
