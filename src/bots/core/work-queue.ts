/** The reply to a question that waited past the queue's budget. */
export const BUSY_TEXT = 'Signpost is busy right now. Please try again in a minute.';

/**
 * The work that follows an ack (searching, replying), run a few at a time for every platform together: Slack's
 * commands and events and Teams' turns share one queue. Acks are written at once; the searches then queue here instead
 * of all starting together, so a burst of questions cannot crowd out the next acks or starve the store. Failures are
 * the tasks' own to handle (withBoundary).
 */
export class WorkQueue {
  private running = 0;
  private readonly waiting: { task: () => Promise<void>; tooLate?: () => Promise<void>; at: number }[] = [];
  private idle: (() => void)[] = [];
  /** How long tasks have been taking lately (a moving average), to tell whether one starting now would be late. */
  private averageRunMs = 0;

  /**
   * @param maxWaitMs beyond capacity: a task that waited longer than this, or that would finish later than this after
   *   its request arrived judging by how long tasks take lately, runs its `tooLate` instead (a short "busy, try again
   *   in a minute"), so nobody gets an answer minutes late.
   */
  constructor(
    private readonly concurrency = 2,
    private readonly maxWaitMs = 8_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * Queues a task and returns at once; it starts on a later turn of the event loop, after the ack is flushed.
   * `since`: when its request arrived (same clock as `now`), when earlier than now.
   */
  defer(task: () => Promise<void>, tooLate?: () => Promise<void>, since?: number): void {
    const now = this.now();
    this.waiting.push({ task, ...(tooLate ? { tooLate } : {}), at: since !== undefined && since < now ? since : now });
    setImmediate(() => this.pump());
  }

  /** Queues a task and resolves with its result (or `tooLate`'s, past the wait budget) once it has had its turn. */
  run<T>(task: () => Promise<T>, tooLate?: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.defer(() => task().then(resolve, reject), tooLate ? () => tooLate().then(resolve, reject) : undefined);
    });
  }

  /** Resolves when nothing is queued or running (graceful shutdown, tests). */
  drained(): Promise<void> {
    if (this.running === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private pump(): void {
    while (this.running < this.concurrency && this.waiting.length > 0) {
      const next = this.waiting.shift()!;
      const started = this.now();
      const waited = started - next.at;
      const late = next.tooLate && (waited > this.maxWaitMs || waited + this.averageRunMs > this.maxWaitMs);
      const task = late ? next.tooLate! : next.task;
      this.running++;
      void task()
        .catch(() => undefined)
        .finally(() => {
          if (!late) this.averageRunMs = 0.8 * this.averageRunMs + 0.2 * (this.now() - started);
          this.running--;
          if (this.running === 0 && this.waiting.length === 0) {
            const waiters = this.idle;
            this.idle = [];
            for (const resolve of waiters) resolve();
          }
          setImmediate(() => this.pump());
        });
    }
  }
}
