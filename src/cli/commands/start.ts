import type { Command } from 'commander';

/** Placeholder: replaced by the issue that builds `start`. */
export function register(cmd: Command): void {
  cmd.action(() => {
    throw new Error('start is not built yet');
  });
}
