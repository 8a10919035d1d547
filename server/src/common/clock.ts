/** Time for the host's schedules (monitor polls, the budget's new day), so they can be tested with a fake clock instead of sleeps. */
export interface Timer {
  cancel(): void;
}

export interface Clock {
  now(): number;
  /** Runs `fn` after `ms`; the timer never keeps the process alive. */
  after(ms: number, fn: () => void): Timer;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  after(ms, fn) {
    // setTimeout takes at most 2^31-1 ms; a longer wait is chained.
    const MAX = 2 ** 31 - 1;
    let handle: NodeJS.Timeout;
    const arm = (left: number) => {
      handle = setTimeout(() => (left > MAX ? arm(left - MAX) : fn()), Math.min(Math.max(0, left), MAX));
      handle.unref();
    };
    arm(ms);
    return { cancel: () => clearTimeout(handle) };
  },
};
