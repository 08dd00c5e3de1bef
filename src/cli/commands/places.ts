import type { Command } from 'commander';

/** Placeholder: replaced by the issue that builds `places`. */
export function register(cmd: Command): void {
  cmd.action(() => {
    throw new Error('places is not built yet');
  });
}
