import type { Command } from 'commander';

/** Placeholder: replaced by the issue that builds `backfill`. */
export function register(cmd: Command): void {
  cmd.action(() => {
    throw new Error('backfill is not built yet');
  });
}
