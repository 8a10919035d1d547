/**
 * An action at a wall-clock moment, at once if the moment has passed (after
 * a host restart, say). Node timers take at most about 24.8 days, so a later
 * moment is reached in steps.
 */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class Deadline {
  private timer: NodeJS.Timeout | undefined;

  constructor(readonly at: number, private readonly action: () => void) {
    this.arm();
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    const delay = Math.max(0, this.at - Date.now());
    this.timer = setTimeout(() => (delay > MAX_TIMER_MS ? this.arm() : this.action()), Math.min(delay, MAX_TIMER_MS));
  }
}
