/** Waiting for events, with a deadline that turns a hang into a clear failure (never a timing assertion). */
import * as fs from 'node:fs';
import { withTimeout } from '../../server/src/common/withTimeout';

export const EVENT_DEADLINE_MS = 30_000;

export function deadline<T>(promise: Promise<T>, what: string, ms = EVENT_DEADLINE_MS): Promise<T> {
  return withTimeout(promise, ms, what);
}

/** Resolves when `check` (run on each event of `subscribe`) returns a value other than undefined. */
export function whenEvent<T>(subscribe: (listener: () => void) => () => void, check: () => T | undefined, what: string, ms = EVENT_DEADLINE_MS): Promise<T> {
  return deadline(
    new Promise<T>((resolve) => {
      const first = check();
      if (first !== undefined) {
        resolve(first);
        return;
      }
      const unsubscribe = subscribe(() => {
        const value = check();
        if (value !== undefined) {
          unsubscribe();
          resolve(value);
        }
      });
    }),
    what,
    ms,
  );
}

export function exitOf(child: import('node:child_process').ChildProcess): Promise<number> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return deadline(new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)))), `pid ${child.pid} to exit`);
}

/** Resolves when `check` holds, looked at whenever something changes in `dir` (a file appears, is written, goes). */
export function whenDirChanges<T>(dir: string, check: () => T | undefined, what: string, ms = EVENT_DEADLINE_MS): Promise<T> {
  return whenEvent(
    (listener) => {
      const watcher = fs.watch(dir, listener);
      return () => watcher.close();
    },
    check,
    what,
    ms,
  );
}
