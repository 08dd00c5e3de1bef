/**
 * `login`: create the gramjs user session interactively (phone, login code, 2FA password) and store
 * it at TELEGRAM_SESSION_FILE with mode 0600. The session is a full account credential: it is
 * never printed or logged; the password is read without echo.
 */
import { existsSync } from 'node:fs';
import { createInterface, type Interface } from 'node:readline';
import type { Command } from 'commander';
import { writeSessionFile } from '../../sources/session-file.js';
import { loginWithPrompts, type LoginPrompts } from '../../sources/telegram-client.js';
import { CliError, commandContext } from '../access.js';

/** Asks one question on stderr (stdout stays clean); `secret` hides what is typed. */
function ask(rl: Interface, question: string, secret = false): Promise<string> {
  const out = rl as unknown as { _writeToOutput?: (s: string) => void; output?: NodeJS.WritableStream };
  const original = out._writeToOutput;
  if (secret && original) {
    out._writeToOutput = (s: string) => {
      // Echo the prompt and the final newline, not the characters typed.
      if (s.startsWith(question) || s === '\r\n' || s === '\n') original.call(rl, s);
    };
  }
  return new Promise<string>((resolve, reject) => {
    const onClose = () => reject(new CliError('login aborted (input closed)'));
    rl.once('close', onClose);
    rl.question(question, (answer) => {
      rl.off('close', onClose);
      if (secret && original) {
        out._writeToOutput = original;
        process.stderr.write('\n');
      }
      resolve(answer.trim());
    });
  });
}

export function register(cmd: Command): void {
  cmd
    .option('--phone <number>', 'the phone number of the account, international format (+…); asked when absent')
    .option('--force', 'replace an existing session file')
    .addHelpText(
      'after',
      `
Needs TELEGRAM_API_ID and TELEGRAM_API_HASH (from https://my.telegram.org, "API development tools").
Asks for the login code Telegram sends to the account, and for the 2FA password when the account has
one. The session is written to TELEGRAM_SESSION_FILE (default ./data/telegram.session), mode 0600.
Treat that file like a password: anyone holding it can act as the account. Then run the service
with TELEGRAM_SOURCE=mtproto.

Use a dedicated account: reading many channels is rate-limited per account (flood waits).`,
    )
    .action(async (opts: { phone?: string; force?: boolean }) => {
      try {
        const { config, logger } = commandContext();
        if (!config.TELEGRAM_API_ID || !config.TELEGRAM_API_HASH) {
          throw new CliError('set TELEGRAM_API_ID and TELEGRAM_API_HASH (https://my.telegram.org → API development tools) first', 2);
        }
        const path = config.TELEGRAM_SESSION_FILE;
        if (existsSync(path) && !opts.force) throw new CliError(`a session already exists at ${path}; use --force to replace it`, 2);
        if (!process.stdin.isTTY) logger.warn('stdin is not a terminal: the 2FA password will be read without hiding it');

        const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: Boolean(process.stdin.isTTY) });
        const prompts: LoginPrompts = {
          phoneNumber: async () => opts.phone ?? ask(rl, 'Phone number (international format, +…): '),
          phoneCode: () => ask(rl, 'Login code sent by Telegram: '),
          password: (hint) => ask(rl, `2FA password${hint ? ` (hint: ${hint})` : ''}: `, true),
          onError: (err) => process.stderr.write(`login step failed: ${err.message}\n`),
        };
        let session: string;
        try {
          session = await loginWithPrompts({ apiId: config.TELEGRAM_API_ID, apiHash: config.TELEGRAM_API_HASH, logger, prompts });
        } finally {
          rl.close();
        }
        if (!session) throw new CliError('login did not complete: no session was created');
        writeSessionFile(path, session);
        process.stderr.write(`session saved to ${path} (mode 0600). Start the service with TELEGRAM_SOURCE=mtproto.\n`);
      } catch (err) {
        if (err instanceof CliError) process.exitCode = err.exitCode;
        throw err;
      }
    });
}
