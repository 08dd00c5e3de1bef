import type { Command } from 'commander';

/** Placeholder: replaced by the issue that builds `extract`. */
export function register(cmd: Command): void {
  cmd.action(() => {
    throw new Error('extract is not built yet');
  });
}
