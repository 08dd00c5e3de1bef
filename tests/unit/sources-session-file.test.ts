import { mkdtempSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSessionFile, SessionFileError, writeSessionFile } from '../../src/sources/session-file.js';
import { isSilent } from '../../src/store/channels.js';

describe('session file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dw-session-'));

  it('is written with mode 0600, replacing an older one, and read back', () => {
    const path = join(dir, 'sub', 'telegram.session');
    writeSessionFile(path, '1BVtsOKABu-first');
    writeSessionFile(path, '1BVtsOKABu-second');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readSessionFile(path)).toEqual({ session: '1BVtsOKABu-second' });
  });

  it('warns when others can read it, and never puts the session in a message', () => {
    const path = join(dir, 'open.session');
    writeFileSync(path, 'SECRET-SESSION-TEXT\n');
    chmodSync(path, 0o644);
    const read = readSessionFile(path);
    expect(read.warning).toMatch(/readable by other users \(mode 644\); chmod 600/);
    expect(read.warning).not.toContain('SECRET');
  });

  it('a missing or empty file asks for the login command', () => {
    expect(() => readSessionFile(join(dir, 'none.session'))).toThrow(/run `npm run --silent cli -- login` first/);
    const empty = join(dir, 'empty.session');
    writeFileSync(empty, '\n');
    expect(() => readSessionFile(empty)).toThrow(SessionFileError);
  });
});

describe('isSilent', () => {
  it('flags a quiet spell over twice the usual longest gap, and never under an hour', () => {
    const h = 3_600_000;
    expect(isSilent(5 * h, 2 * h)).toBe(true);
    expect(isSilent(3 * h, 2 * h)).toBe(false);
    expect(isSilent(50 * 60_000, 10 * 60_000)).toBe(false);
    expect(isSilent(70 * 60_000, 10 * 60_000)).toBe(true);
  });
});
