/** Messages between the agent process's main thread and its screen-model worker. */
import type { ScreenState, StatePatterns } from '../drivers/profile';

export type ToScreen =
  | { t: 'write'; data: Uint8Array }
  | { t: 'resize'; cols: number; rows: number }
  | { t: 'snapshot'; id: number; scrollback: number }
  | { t: 'modes'; id: number }
  /** Enter is about to be pressed on typed text: the program is working until its screen shows it reacted. */
  | { t: 'submitted' }
  /** Stop: the worker ends its timers and exits on its own (terminating it mid-callback has crashed Node 20). */
  | { t: 'close' };

export type FromScreen =
  | { t: 'parsed'; bytes: number }
  /** `prepared`: made ahead of time while the screen was quiet (for tests and logs). */
  | { t: 'snapshot'; id: number; data: string; cols: number; rows: number; prepared: boolean }
  | { t: 'reply'; data: string }
  | { t: 'modes'; id: number; bracketedPaste: boolean }
  /** The driver's reading of the screen changed (idle only after it held for the settle time). */
  | { t: 'state'; state: ScreenState };

export interface ScreenWorkerData {
  /** Superkick's version, for the XTVERSION answer. */
  version: string;
  cols: number;
  rows: number;
  scrollback: number;
  /** After this long without output the attach snapshot is made ahead of time (default 300 ms). */
  prepareWhenQuietMs?: number;
  /** The driver's screen patterns, and how long idle must hold. */
  states: StatePatterns;
  idleSettleMs: number;
}
