/**
 * A Clock (server/src/common/clock.ts) that moves only when told: `advance`
 * fires the timers that fall due, in order, letting the work each one starts
 * finish (`settle`) before the next, so a schedule is tested, or a simulated
 * hour benched, without sleeping.
 */
import type { Clock, Timer } from '../../server/src/common/clock';

export class SteppedClock implements Clock {
  private timers: Array<{ at: number; fn: () => void; cancelled: boolean }> = [];

  constructor(private at: number = Date.parse('2026-01-01T00:00:00Z')) {}

  now(): number {
    return this.at;
  }

  after(ms: number, fn: () => void): Timer {
    const timer = { at: this.at + Math.max(0, ms), fn, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => void (timer.cancelled = true) };
  }

  async advance(ms: number, settle: () => Promise<void> = async () => undefined): Promise<void> {
    const end = this.at + ms;
    for (;;) {
      this.timers = this.timers.filter((timer) => !timer.cancelled);
      const next = Math.min(...this.timers.map((timer) => timer.at));
      if (!(next <= end)) break;
      this.at = next;
      const due = this.timers.filter((timer) => timer.at === next);
      this.timers = this.timers.filter((timer) => timer.at !== next);
      for (const timer of due) if (!timer.cancelled) timer.fn();
      await settle();
    }
    this.at = end;
  }
}
