import type { Command } from 'commander';

/** Placeholder: replaced by the issue that builds `login`. */
export function register(cmd: Command): void {
  cmd.action(() => {
    throw new Error('login is not built yet');
  });
}
