/**
 * Memory policy of a long-running dronewire process.
 *
 * After each full garbage collection V8 lets the heap grow to a multiple of what survived before it
 * collects again; for a process that allocates fast (a worker extracting thousands of posts a
 * second) it picks a factor of up to 4. The worker's live heap is ~50 MB, and the factor let its
 * resident memory climb to 370 MB during a replay without holding any more data. A fixed 1.5
 * keeps the replay worker near 200 MB at the same speed (scripts/bench, README "Performance").
 * Unlike --max-old-space-size it is no ceiling: a process that really needs more memory still gets it.
 */
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 50;

/**
 * The node flags every service process is started with (Dockerfile, docker-compose.yml, `npm start`,
 * the bench's worker processes): set on the command line, the policy holds from the first
 * allocation (a replay worker peaked at 198 MB; set at run time by limitHeapGrowth, at 260–300 MB).
 */
export const SERVICE_NODE_FLAGS: readonly string[] = [`--heap-growing-percent=${HEAP_GROWING_PERCENT}`];

/**
 * Applies the policy to a process started without SERVICE_NODE_FLAGS (plain `node …/main.js start`),
 * unless node was given its own --heap-growing-percent.
 */
export function limitHeapGrowth(execArgv: readonly string[] = process.execArgv): void {
  if (execArgv.some((arg) => arg.startsWith('--heap-growing-percent'))) return;
  // V8 reads this flag at every full collection, so it takes effect from the next one on.
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
