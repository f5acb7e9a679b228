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
    for (let i = 0; i < 20; i++)
      queue.defer(
        async () => void ran.push(i),
        async () => void ran.push(-1),
      );
    await queue.drained();
    expect(ran.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it("a command's budget counts from its request's arrival, and a task expected to end past it is told busy", async () => {
    let t = 10_000;
    const queue = new WorkQueue(1, 8_000, () => t);
    const ran: string[] = [];
    // Arrived 8.5 s ago (its ack and a long wait before it reached the queue): busy, though it waits no more here.
    queue.defer(
      async () => void ran.push('stale answered'),
      async () => void ran.push('stale told busy'),
      t - 8_500,
    );
    await queue.drained();
    // Tasks lately take 3 s each; one that has already waited 6 s would end at 9 s, past its 8 s: busy.
    for (let i = 0; i < 5; i++) {
      queue.defer(async () => {
        t += 3_000;
      });
      await queue.drained();
    }
    queue.defer(
      async () => void ran.push('late answered'),
      async () => void ran.push('late told busy'),
      t - 6_000,
    );
    queue.defer(
      async () => void ran.push('fresh answered'),
      async () => void ran.push('fresh told busy'),
      t - 1_000,
    );
    await queue.drained();
    expect(ran).toEqual(['stale told busy', 'late told busy', 'fresh answered']);
  });

  it("run() hands back the task's answer, or the busy answer past the budget, for callers that wait (Teams turns)", async () => {
    let t = 0;
    const queue = new WorkQueue(1, 8_000, () => t);
    let release!: () => void;
    const blocker = new Promise<void>((resolve) => (release = resolve));
    const first = queue.run(async () => {
      await blocker;
      return 'first answer';
    });
    const second = queue.run(
      async () => 'second answer',
      async () => 'busy',
    );
    await new Promise((r) => setImmediate(r));
    t += 9_000;
    release();
    expect(await first).toBe('first answer');
    expect(await second).toBe('busy');
    await expect(queue.run(async () => Promise.reject(new Error('search failed')))).rejects.toThrow('search failed');
  });
});
