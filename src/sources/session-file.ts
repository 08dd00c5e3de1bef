/**
 * The gramjs StringSession on disk. It is a full account credential: the file is created with
 * mode 0600, written atomically, and its content never reaches a log line or an error message.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export class SessionFileError extends Error {
  readonly code = 'SESSION_FILE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SessionFileError';
  }
}

/** Reads the session text; a missing or empty file asks for the login command. */
export function readSessionFile(path: string): { session: string; warning?: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new SessionFileError(
      missing ? `no Telegram session at ${path}: run \`npm run --silent cli -- login\` first` : `cannot read the Telegram session file ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      { cause: err },
    );
  }
  if (text === '') throw new SessionFileError(`the Telegram session file ${path} is empty: run the login command`);
  const mode = statSync(path).mode & 0o777;
  const out: { session: string; warning?: string } = { session: text };
  if ((mode & 0o077) !== 0) out.warning = `${path} is readable by other users (mode ${mode.toString(8)}); chmod 600 it`;
  return out;
}

/** Writes the session text with mode 0600 (atomically: a temporary file renamed over the old one). */
export function writeSessionFile(path: string, session: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, `${session}\n`, { mode: 0o600, flag: 'w' });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}
