/**
 * The loop of a goal that decides by looking (a pull request, an issue): a
 * look every `intervalMs`, never two at once, the first one interval after
 * the start. `now()` looks at once, or right after the look under way (a
 * webhook said something changed); `stop()` ends it, aborting a look in
 * flight through `signal`.
 */
export interface GoalPoll {
  now(): void;
  stop(): void;
}

export function goalPoll(intervalMs: number, look: (signal: AbortSignal) => Promise<void>, onError: (error: Error) => void): GoalPoll {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let looking = false;
  let again = false;

  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(run, intervalMs);
    timer.unref();
  };
  const run = () => {
    if (abort.signal.aborted) return;
    clearTimeout(timer);
    if (looking) {
      again = true;
      return;
    }
    looking = true;
    look(abort.signal)
      .catch((error: unknown) => {
        if (!abort.signal.aborted) onError(error instanceof Error ? error : new Error(String(error)));
      })
      .finally(() => {
        looking = false;
        if (abort.signal.aborted) return;
        if (again) {
          again = false;
          run();
        } else schedule();
      });
  };
  schedule();
  return {
    now: run,
    stop() {
      abort.abort();
      clearTimeout(timer);
    },
  };
}
