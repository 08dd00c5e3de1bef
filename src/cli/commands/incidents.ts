import type { Command } from 'commander';

/** Placeholder: replaced by the issue that builds `incidents`. */
export function register(cmd: Command): void {
  cmd.action(() => {
    throw new Error('incidents is not built yet');
  });
}
