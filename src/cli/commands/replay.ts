import type { Command } from 'commander';

/** Placeholder: replaced by the issue that builds `replay`. */
export function register(cmd: Command): void {
  cmd.action(() => {
    throw new Error('replay is not built yet');
  });
}
