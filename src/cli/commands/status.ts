import type { Command } from 'commander';

/** Placeholder: replaced by the issue that builds `status`. */
export function register(cmd: Command): void {
  cmd.action(() => {
    throw new Error('status is not built yet');
  });
}
