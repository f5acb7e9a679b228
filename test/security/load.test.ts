import { describe, expect, it } from 'vitest';
import { WorkQueue } from '../../src/bots/core/work-queue.ts';

describe('attack: a flood of Slack commands beyond capacity', () => {
  it('a command that waited past its budget gets the short busy reply instead of a late answer', async () => {
    let t = 0;
    const queue = new WorkQueue(1, 8_000, () => t);
    const ran: string[] = [];
    let release!: () => void;
    const blocker = new Promise<void>((resolve) => (release = resolve));
    queue.defer(async () => {
      ran.push('first');
      await blocker;
    });
    queue.defer(
      async () => void ran.push('second answered'),
      async () => void ran.push('second told busy'),
    );
    await new Promise((r) => setImmediate(r));
    t += 9_000; // the first search held the only slot for nine seconds
    queue.defer(
      async () => void ran.push('third answered'),
      async () => void ran.push('third told busy'),
    );
    release();
    await queue.drained();
    expect(ran).toEqual(['first', 'second told busy', 'third answered']);
  });

  it('within capacity every task runs as asked', async () => {
    const queue = new WorkQueue(2, 8_000, () => 0);
    const ran: number[] = [];
    for (let i = 0; i < 20; i++) queue.defer(async () => void ran.push(i), async () => void ran.push(-1));
    await queue.drained();
    expect(ran.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('run() hands back the task\'s answer, or the busy answer past the budget, for callers that wait (Teams turns)', async () => {
    let t = 0;
    const queue = new WorkQueue(1, 8_000, () => t);
    let release!: () => void;
    const blocker = new Promise<void>((resolve) => (release = resolve));
    const first = queue.run(async () => {
      await blocker;
      return 'first answer';
    });
    const second = queue.run(async () => 'second answer', async () => 'busy');
    await new Promise((r) => setImmediate(r));
    t += 9_000;
    release();
    expect(await first).toBe('first answer');
    expect(await second).toBe('busy');
    await expect(queue.run(async () => Promise.reject(new Error('search failed')))).rejects.toThrow('search failed');
  });
});
