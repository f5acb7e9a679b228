import type { DeliveryTarget, Notifier } from '../../../src/bots/core/ports.ts';
import type { Reply } from '../../../src/bots/core/reply.ts';
import type { Clock } from '../../../src/clock.ts';

/** A clock that only moves when told to, and a sleep that moves it (no real waiting). */
export class FakeClock implements Clock {
  private t: number;
  constructor(start: string | Date) {
    this.t = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.t);
  }
  set(at: string | Date): void {
    this.t = new Date(at).getTime();
  }
  advance(ms: number): void {
    this.t += ms;
  }
  /** Wakes `ms` after it was called; concurrent sleepers do not add their waits up. */
  readonly sleep = async (ms: number): Promise<void> => {
    const wake = this.t + ms;
    await Promise.resolve();
    this.t = Math.max(this.t, wake);
  };
}

export type Posted = { platform: string; channelRef: string; workspace?: string; at: Date; reply: Reply };

/** Records what would have been posted; `behaviour` may throw (DeliveryError, 429…) or hang. */
export function recordingNotifier(
  platform: Notifier['platform'],
  clock: Clock,
  behaviour?: (target: DeliveryTarget, call: number) => Promise<void> | void,
): Notifier & { posted: Posted[]; calls: number } {
  const notifier = {
    platform,
    posted: [] as Posted[],
    calls: 0,
    async post(target: DeliveryTarget, reply: Reply) {
      notifier.calls += 1;
      const at = clock.now();
      if (behaviour) await behaviour(target, notifier.calls);
      notifier.posted.push({
        platform,
        channelRef: target.channelRef,
        ...(target.workspace ? { workspace: target.workspace } : {}),
        at,
        reply,
      });
    },
  };
  return notifier;
}
