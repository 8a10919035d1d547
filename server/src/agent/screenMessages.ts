/** Messages between the agent process's main thread and its screen-model worker. */

export type ToScreen =
  | { t: 'write'; data: Uint8Array }
  | { t: 'resize'; cols: number; rows: number }
  | { t: 'snapshot'; id: number; scrollback: number }
  | { t: 'modes'; id: number };

export type FromScreen =
  | { t: 'parsed'; bytes: number }
  /** `prepared`: made ahead of time while the screen was quiet (for tests and logs). */
  | { t: 'snapshot'; id: number; data: string; cols: number; rows: number; prepared: boolean }
  | { t: 'reply'; data: string }
  | { t: 'modes'; id: number; bracketedPaste: boolean };

export interface ScreenWorkerData {
  /** Superkick's version, for the XTVERSION answer. */
  version: string;
  cols: number;
  rows: number;
  scrollback: number;
  /** After this long without output the attach snapshot is made ahead of time (default 300 ms). */
  prepareWhenQuietMs?: number;
}
