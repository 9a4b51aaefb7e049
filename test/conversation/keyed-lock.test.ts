import { describe, expect, it } from 'vitest';
import { InProcessKeyedLock } from '../../src/conversation/keyed-lock.js';

/** A real pause (other queued work runs meanwhile), without a timer's millisecond. */
const tick = () => new Promise((r) => setImmediate(r));

describe('InProcessKeyedLock', () => {
  it('runs work for one key strictly one at a time, in arrival order', async () => {
    const lock = new InProcessKeyedLock();
    let shared = 0;
    const order: number[] = [];
    // A read-modify-write with a pause in the middle: without the lock, updates are lost.
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        lock.run('conv', async () => {
          const read = shared;
          await tick();
          shared = read + 1;
          order.push(i);
        }),
      ),
    );
    expect(shared).toBe(20);
    expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(lock.size).toBe(0);
  });

  it('lets different keys run concurrently', async () => {
    const lock = new InProcessKeyedLock();
    let running = 0;
    let peak = 0;
    await Promise.all(
      ['a', 'b', 'c'].map((k) =>
        lock.run(k, async () => {
          running++;
          peak = Math.max(peak, running);
          await tick();
          running--;
        }),
      ),
    );
    expect(peak).toBe(3);
  });

  it('keeps going after a failed piece of work, and passes the failure to its caller', async () => {
    const lock = new InProcessKeyedLock();
    const failed = lock.run('k', async () => {
      throw new Error('boom');
    });
    const next = lock.run('k', async () => 'ok');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ok');
  });
});
