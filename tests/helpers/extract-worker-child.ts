/**
 * A child process running the real service with only the extract role, for the worker-kill test.
 * Its settings come from the environment (the test's prefix and schema). Test-only knobs:
 *   DW_TEST_JOB_DELAY_MS   each job sleeps up to twice this long (at random) before and after its
 *                          commit, so that a SIGKILL lands in the middle of jobs, some before their
 *                          transaction and some after it
 *   DW_TEST_LOCK_MS        BullMQ lockDuration (the stalled interval is half of it)
 * It prints `ready`, then `start <jobId>` and `committed <jobId>` lines on stdout.
 */
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startService } from '../../src/service.js';
import { FAKE_EXTRACTOR, fakeExtract } from './fake-extractor.js';

const delay = Number(process.env.DW_TEST_JOB_DELAY_MS ?? 0);
const lockMs = Number(process.env.DW_TEST_LOCK_MS ?? 30_000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const jitter = () => sleep(Math.random() * 2 * delay);
const say = (line: string) => process.stdout.write(`${line}\n`);

const config = loadConfig();
const logger = createLogger(config);
await startService({
  config,
  logger,
  roles: ['extract'],
  extractOptions: {
    extractorVersion: FAKE_EXTRACTOR,
    lockDuration: lockMs,
    stalledInterval: Math.max(500, Math.floor(lockMs / 2)),
    async extract(post) {
      say(`start ${post.id}`);
      await jitter();
      return fakeExtract(post);
    },
    async onChanges(_changes, post) {
      say(`committed ${post.id}`);
      await jitter();
    },
  },
});
say('ready');
