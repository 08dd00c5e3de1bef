import { describe, expect, it } from 'vitest';
import { Slots } from '../../src/queue/extract-worker.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Slots', () => {
  it('runs at most `size` tasks at once, the rest in arrival order', async () => {
    const slots = new Slots(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const results = await Promise.all(
      [0, 1, 2, 3, 4, 5].map((i) =>
        slots.run(async () => {
          started.push(i);
          running++;
          most = Math.max(most, running);
          await tick(5 + (i % 3));
          running--;
          return i * 10;
        }),
      ),
    );
    expect(results).toEqual([0, 10, 20, 30, 40, 50]);
    expect(most).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('frees the slot of a task that fails', async () => {
    const slots = new Slots(1);
    await expect(slots.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(slots.run(async () => 'next')).resolves.toBe('next');
  });
});
