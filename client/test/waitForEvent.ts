/**
 * Waiting inside the extension host: on a VS Code event, with a deadline that
 * turns a hang into a failure naming what never happened (never a sleep, never
 * a timing assertion). The check runs at once and again on every event.
 */
import type * as vscode from 'vscode';
import { whenEvent } from '../../test/helpers/waitFor';

export function until<T>(event: vscode.Event<unknown>, check: () => T | undefined | false, what: string, ms?: number): Promise<T> {
  return whenEvent(
    (listener) => {
      const subscription = event(() => listener());
      return () => subscription.dispose();
    },
    () => check() || undefined,
    what,
    ms,
  );
}
