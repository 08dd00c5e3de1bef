/**
 * The baseline of the pipeline section: a BullMQ worker on the posts queue that does nothing with
 * each job, with the extract worker's settings (the same worker connection options, concurrency,
 * lock defaults). Run as its own process by scripts/bench/throughput.ts; prints one JSON line when
 * ready and stops on SIGTERM.
 *
 *   QUEUE_PREFIX=… REDIS_URL=… WORKER_CONCURRENCY=16 node --import tsx scripts/bench/bare-worker.ts
 */
import { Worker } from 'bullmq';
import { createWorkerConnection } from '../../src/queue/connection.js';
import { QUEUES, type PostJobData } from '../../src/queue/names.js';

const prefix = process.env.QUEUE_PREFIX;
if (!prefix) throw new Error('QUEUE_PREFIX is required');
const connection = createWorkerConnection(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', 'dronewire-bench-bare');
const worker = new Worker<PostJobData>(QUEUES.posts, async () => undefined, {
  connection,
  prefix,
  concurrency: Number(process.env.WORKER_CONCURRENCY ?? 16),
  autorun: false,
});
worker.on('error', (err) => process.stderr.write(`${JSON.stringify({ level: 50, msg: 'bare worker error', err: err.message })}\n`));
const running = worker.run();
await worker.waitUntilReady();
process.stderr.write(`${JSON.stringify({ msg: 'bare worker started', pid: process.pid })}\n`);

const stop = async () => {
  await worker.close();
  await running;
  await connection.quit();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
