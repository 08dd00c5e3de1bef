/**
 * Fault 5: SIGTERM while a worker is busy. The process stops taking jobs, lets the running ones
 * finish, and exits (status 0) within SHUTDOWN_GRACE_MS. Nothing active is lost: jobs it finished
 * are stored; jobs that could not finish in time are left to another worker, which completes them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkStore, createFaultEnv, describeState, expectedRecords, makeReportPosts, postCounts, SHORT, waitUntil, type FaultEnv } from './support/env.js';

const POSTS = SHORT ? 200 : 600;
/** Process exit as the parent sees it (the service itself exits within SHUTDOWN_GRACE_MS). */
const EXIT_MARGIN_MS = 750;

describe('fault: SIGTERM during load', () => {
  let env: FaultEnv;
  beforeEach(async () => {
    env = await createFaultEnv();
  });
  afterEach(async () => {
    await env?.cleanup();
  });

  async function busyWorker(delayMs: number, graceMs: number) {
    const posts = makeReportPosts(POSTS, `fault_term_${delayMs}`);
    await env.enqueue(posts);
    const worker = await env.startChild('worker-a', 'extract,alerts', { FAULT_EXTRACT_DELAY_MS: String(delayMs), SHUTDOWN_GRACE_MS: String(graceMs) });
    await waitUntil(async () => (await postCounts(env.queues)).active >= 4, 60_000, 'jobs running', 50, () => describeState(env));
    return { posts, worker };
  }

  async function finishWithSecondWorker(posts: ReturnType<typeof makeReportPosts>) {
    await env.startChild('worker-b', 'extract');
    await waitUntil(async () => {
      const c = await postCounts(env.queues);
      return c.completed + c.failed === POSTS && c.active === 0;
    }, 120_000, 'every job finished by the second worker', 250, () => describeState(env));
    const counts = await postCounts(env.queues);
    expect(counts.failed).toBe(0);
    const store = await checkStore(env.db, expectedRecords(posts));
    expect(store.missing).toEqual([]);
    expect(store.unexpected).toEqual([]);
    expect(store.createdTwice).toEqual([]);
  }

  it('drains running jobs and exits 0 within the grace period, a repeated signal notwithstanding', async () => {
    const graceMs = SHORT ? 5_000 : 10_000;
    const { posts, worker } = await busyWorker(300, graceMs);
    const activeAtSignal = (await postCounts(env.queues)).active;
    const sentAt = Date.now();
    worker.signal('SIGTERM');
    // Ctrl-C or a group kill of `npm start` delivers it twice (npm passes it on): still one drain.
    await new Promise((r) => setTimeout(r, 50));
    worker.signal('SIGTERM');
    const exit = await worker.exited;
    const tookMs = exit.at - sentAt;
    expect(exit.code, worker.stderr().slice(-3000)).toBe(0);
    expect(tookMs).toBeLessThan(graceMs + EXIT_MARGIN_MS);
    // Drained: nothing is left active under the dead process's lock, waiting for stall recovery.
    const after = await postCounts(env.queues);
    expect(after.active).toBe(0);
    expect(after.completed).toBeGreaterThanOrEqual(activeAtSignal);
    expect(worker.logs().some((l) => l.msg === 'dronewire stopped')).toBe(true);
    await finishWithSecondWorker(posts);
    console.info(`[faults] sigterm/drain: ${activeAtSignal} jobs active at SIGTERM, exited 0 after ${tookMs} ms (grace ${graceMs} ms), ${after.completed} completed by then, 0 left active`);
  }, 300_000);

  it('exits within the grace period when jobs outlast it, and another worker finishes them', async () => {
    const graceMs = 2_000;
    const { posts, worker } = await busyWorker(8_000, graceMs);
    const activeAtSignal = (await postCounts(env.queues)).active;
    const sentAt = Date.now();
    worker.signal('SIGTERM');
    const exit = await worker.exited;
    const tookMs = exit.at - sentAt;
    expect(tookMs).toBeLessThan(graceMs + EXIT_MARGIN_MS);
    expect(exit.signal).toBeNull();
    expect(worker.logs().some((l) => /grace period/.test(String(l.msg)))).toBe(true);
    await finishWithSecondWorker(posts);
    console.info(`[faults] sigterm/overrun: ${activeAtSignal} jobs of 8 s active at SIGTERM, exited (code ${exit.code}) after ${tookMs} ms (grace ${graceMs} ms); a second worker completed all ${POSTS}`);
  }, 300_000);
});
