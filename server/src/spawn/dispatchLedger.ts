/**
 * The dispatch ledger: "this event has been (or is being) turned into an
 * agent", keyed by a dispatch key — a stable id the spawner derives from the
 * event (`github-issue-acme/app-42`). It is what makes spawning exactly once:
 *
 * - `claim` writes the key to disk (temp file, fsync, rename, fsync of the
 *   directory — common/atomicFile.ts) BEFORE it returns, so nothing is ever
 *   started for a key that a restarted host would not know about. A save that
 *   fails undoes the claim in memory and throws: the caller starts nothing.
 * - Every method is synchronous, so two deliveries of the same event in one
 *   process cannot interleave between "is the key free?" and "take it": the
 *   first call wins, every later one (a concurrent delivery, ten replays) gets
 *   `{ claimed: false, existing }` naming the dispatch and its agent. One host
 *   per SUPERKICK_DIR (the host lock) means one writer of the file.
 * - States: claimed → spawning → running(agentId) → done | failed(reason);
 *   claimed and spawning may also go straight to failed. Every transition is
 *   saved before the method returns.
 * - A failed dispatch is NOT retried automatically (a spawn that failed once
 *   — bad setup command, missing repository — would most likely fail again,
 *   and retry loops start agents nobody asked for). `release(key)` forgets a
 *   failed dispatch when a person or the pipeline decides to retry; the next
 *   delivery of the event then claims it afresh.
 * - `reconcile` runs once at host start: see its comment.
 * - History is bounded: finished dispatches (done, failed) are kept for
 *   `retentionDays` (default 30) after they finished, so a replay of an old
 *   event within that window is still recognised; after it, a replay of the
 *   same key would dispatch again. Services do not redeliver month-old events,
 *   and a key that matters for longer (a long-lived issue) stays claimed
 *   anyway while its agent runs. Unfinished dispatches are never pruned.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readJsonOrQuarantine, writeFileAtomic } from '../common/atomicFile';
import type { Logger } from '../common/logger';
import { ensureDir } from '../common/secureDir';
import { DispatchError } from './dispatchErrors';

export const DISPATCH_STATES = ['claimed', 'spawning', 'running', 'done', 'failed'] as const;
export type DispatchState = (typeof DISPATCH_STATES)[number];

/** What the pipeline needs to resume a dispatch after a restart (spawner, workspace, event snapshot, …). JSON only. */
export type DispatchDetails = Record<string, unknown>;

export interface Dispatch {
  key: string;
  state: DispatchState;
  details: DispatchDetails;
  /** Set when the dispatch reached `running`. */
  agentId?: string;
  /** Why it failed, or how it ended when the ledger (not the pipeline) ended it. */
  reason?: string;
  claimedAt: string;
  updatedAt: string;
  finishedAt?: string;
}

export type ClaimResult = { claimed: true; dispatch: Dispatch } | { claimed: false; existing: Dispatch };

export interface ReconcileOptions {
  /** Whether the agent still exists; 'unknown' leaves its dispatch alone. */
  isAgentAlive: (agentId: string) => boolean | 'unknown';
  /**
   * The agent that already carries this dispatch key, if any (the host may
   * have died after the agent started but before `running` was saved).
   * Such a dispatch is adopted (marked running with that agent), never resumed.
   */
  agentForKey?: (key: string) => string | undefined;
  /**
   * What to do with a dispatch interrupted in `spawning` that no agent
   * carries: 'resume' hands it back to the pipeline (which must then reuse
   * or clean up what it half-made, e.g. an existing worktree), 'fail' marks it
   * failed. Default 'resume'. A dispatch still in `claimed` started nothing
   * and is always resumed.
   */
  interruptedSpawn?: 'resume' | 'fail';
}

export interface ReconcileResult {
  /** Dispatches the pipeline should carry on with (still in claimed/spawning; their details say how). */
  resume: Dispatch[];
  /** Interrupted dispatches whose agent was found: now running. */
  adopted: Dispatch[];
  /** Running dispatches whose agent is gone: now done. */
  finished: Dispatch[];
  /** Interrupted dispatches marked failed (interruptedSpawn: 'fail'). */
  failed: Dispatch[];
}

export interface DispatchLedgerOptions {
  log: Logger;
  retentionDays?: number;
  /** Milliseconds since the epoch; tests pass a fake clock. */
  now?: () => number;
}

const FILE_VERSION = 1;
const DAY_MS = 24 * 60 * 60 * 1000;
const LOG_TAG = 'host.dispatch';

interface LedgerFile {
  version: number;
  dispatches: Dispatch[];
}

/** Which state may follow which. */
const NEXT: Record<DispatchState, readonly DispatchState[]> = {
  claimed: ['spawning', 'failed'],
  spawning: ['running', 'failed'],
  running: ['done', 'failed'],
  done: [],
  failed: [],
};

export class DispatchLedger {
  private readonly dispatches = new Map<string, Dispatch>();
  private readonly log: Logger;
  private readonly retentionMs: number;
  private readonly now: () => number;

  constructor(private readonly file: string, options: DispatchLedgerOptions) {
    this.log = options.log;
    const days = options.retentionDays ?? 30;
    if (!(days > 0)) throw new DispatchError('invalid-argument', `dispatch ledger: retentionDays must be a positive number of days (got ${days})`);
    this.retentionMs = days * DAY_MS;
    this.now = options.now ?? Date.now;
    this.load();
  }

  /**
   * Takes the key for this caller, durably, or says who has it. Returns a
   * copy: changing it changes nothing in the ledger.
   */
  claim(key: string, details: DispatchDetails = {}): ClaimResult {
    checkKey(key);
    const existing = this.dispatches.get(key);
    if (existing) return { claimed: false, existing: copy(existing) };
    const stamp = this.stamp();
    // Through JSON: what is kept in memory is exactly what a restarted host reloads.
    const dispatch: Dispatch = { key, state: 'claimed', details: jsonCopy(details), claimedAt: stamp, updatedAt: stamp };
    this.dispatches.set(key, dispatch);
    try {
      this.save();
    } catch (error) {
      this.dispatches.delete(key);
      throw error;
    }
    return { claimed: true, dispatch: copy(dispatch) };
  }

  /** Replaces a claimed dispatch's details (the pipeline adds an approval id), saved before it returns. */
  annotate(key: string, details: DispatchDetails): Dispatch {
    const dispatch = this.require(key);
    if (dispatch.state !== 'claimed') throw new DispatchError('invalid-transition', `dispatch "${key}" is ${describe(dispatch)}; only a claimed dispatch's details can change`);
    const before = dispatch.details;
    dispatch.details = jsonCopy(details);
    try {
      this.save();
    } catch (error) {
      dispatch.details = before;
      throw error;
    }
    return copy(dispatch);
  }

  /** The pipeline starts making things (worktree, setup, process). */
  markSpawning(key: string): Dispatch {
    return this.transition(key, 'spawning', {});
  }

  markRunning(key: string, agentId: string): Dispatch {
    if (!agentId) throw new DispatchError('invalid-transition', `dispatch "${key}": running needs the agent id`);
    return this.transition(key, 'running', { agentId });
  }

  markDone(key: string, reason?: string): Dispatch {
    return this.transition(key, 'done', { reason });
  }

  markFailed(key: string, reason: string): Dispatch {
    if (!reason) throw new DispatchError('invalid-transition', `dispatch "${key}": say why it failed`);
    return this.transition(key, 'failed', { reason });
  }

  /** Forgets a failed dispatch so the next delivery of its event claims it again (the explicit retry). */
  release(key: string): Dispatch {
    const dispatch = this.require(key);
    if (dispatch.state !== 'failed') {
      throw new DispatchError('not-releasable', `dispatch "${key}" is ${describe(dispatch)}; only a failed dispatch can be released for a retry`);
    }
    this.dispatches.delete(key);
    try {
      this.save();
    } catch (error) {
      this.dispatches.set(key, dispatch);
      throw error;
    }
    return copy(dispatch);
  }

  get(key: string): Dispatch | undefined {
    const dispatch = this.dispatches.get(key);
    return dispatch && copy(dispatch);
  }

  list(): Dispatch[] {
    return [...this.dispatches.values()].map(copy).sort((a, b) => a.claimedAt.localeCompare(b.claimedAt) || a.key.localeCompare(b.key));
  }

  /**
   * At host start, before any event is delivered: settles what the previous
   * host left unfinished, so that no key ever gets a second agent.
   * - claimed / spawning with an agent carrying the key (agentForKey) → running with that agent (adopted);
   * - claimed without one → handed back to resume (nothing was started);
   * - spawning without one → resumed or failed, as `interruptedSpawn` says;
   * - running whose agent is gone → done (reason says so); 'unknown' → left alone.
   * Resumed dispatches keep their key, so a replay meanwhile still gets `claimed: false`.
   */
  reconcile(options: ReconcileOptions): ReconcileResult {
    const result: ReconcileResult = { resume: [], adopted: [], finished: [], failed: [] };
    for (const dispatch of [...this.dispatches.values()]) {
      if (dispatch.state === 'claimed' || dispatch.state === 'spawning') {
        const agentId = options.agentForKey?.(dispatch.key);
        if (agentId) {
          if (dispatch.state === 'claimed') this.transition(dispatch.key, 'spawning', {});
          result.adopted.push(this.transition(dispatch.key, 'running', { agentId }));
          this.log.info(LOG_TAG, `dispatch "${dispatch.key}" was interrupted after its agent ${agentId} started; adopted it`);
        } else if (dispatch.state === 'spawning' && options.interruptedSpawn === 'fail') {
          result.failed.push(this.transition(dispatch.key, 'failed', { reason: 'the host stopped while this dispatch was spawning' }));
          this.log.warn(LOG_TAG, `dispatch "${dispatch.key}" was interrupted while spawning; marked failed (release it to retry)`);
        } else {
          result.resume.push(copy(dispatch));
          this.log.info(LOG_TAG, `dispatch "${dispatch.key}" was interrupted while ${dispatch.state}; resuming it`);
        }
      } else if (dispatch.state === 'running' && dispatch.agentId) {
        const alive = options.isAgentAlive(dispatch.agentId);
        if (alive === false) {
          result.finished.push(this.transition(dispatch.key, 'done', { reason: `agent ${dispatch.agentId} was gone at host start` }));
        }
      }
    }
    return result;
  }

  private transition(key: string, to: DispatchState, fields: { agentId?: string; reason?: string }): Dispatch {
    const dispatch = this.require(key);
    if (!NEXT[dispatch.state].includes(to)) {
      const allowed = NEXT[dispatch.state];
      throw new DispatchError(
        'invalid-transition',
        `dispatch "${key}" is ${describe(dispatch)} and cannot become ${to}` +
          (allowed.length ? ` (from ${dispatch.state} it can become ${allowed.join(' or ')})` : ' (it is finished)'),
      );
    }
    const before = { ...dispatch };
    const stamp = this.stamp();
    dispatch.state = to;
    dispatch.updatedAt = stamp;
    if (fields.agentId) dispatch.agentId = fields.agentId;
    if (fields.reason) dispatch.reason = fields.reason;
    if (to === 'done' || to === 'failed') dispatch.finishedAt = stamp;
    try {
      this.save();
    } catch (error) {
      this.dispatches.set(key, before);
      throw error;
    }
    return copy(dispatch);
  }

  private require(key: string): Dispatch {
    const dispatch = this.dispatches.get(key);
    if (!dispatch) throw new DispatchError('unknown-dispatch', `no dispatch with key "${key}" (it was never claimed, was released, or finished more than the retention period ago)`);
    return dispatch;
  }

  private stamp(): string {
    return new Date(this.now()).toISOString();
  }

  private prune(): void {
    const cutoff = this.now() - this.retentionMs;
    for (const [key, dispatch] of this.dispatches) {
      if (dispatch.finishedAt && Date.parse(dispatch.finishedAt) < cutoff) this.dispatches.delete(key);
    }
  }

  private load(): void {
    let salvaged: string[] = [];
    const setAside = (movedTo: string, reason: string) => {
      salvaged = salvageKeys(movedTo);
      this.log.error(
        LOG_TAG,
        `dispatch ledger ${this.file} is unreadable (${reason}); moved to ${movedTo}. ` +
          `${salvaged.length} dispatch key(s) recovered from it are kept as failed, so their events are not dispatched again; ` +
          `release them to retry`,
      );
    };
    let loaded = readJsonOrQuarantine<LedgerFile>(this.file, setAside);
    if (loaded && (loaded.version !== FILE_VERSION || !Array.isArray(loaded.dispatches))) {
      // Valid JSON but not a ledger we know: set it aside like a corrupt file
      // (never overwrite it) and recover its keys the same way.
      const movedTo = `${this.file}.unknown-layout-${new Date(this.now()).toISOString().replace(/[:.]/g, '-')}`;
      fs.renameSync(this.file, movedTo);
      setAside(movedTo, `unknown layout, version ${String(loaded.version)}`);
      loaded = undefined;
    }
    for (const dispatch of loaded?.dispatches ?? []) {
      if (typeof dispatch?.key === 'string' && DISPATCH_STATES.includes(dispatch.state)) this.dispatches.set(dispatch.key, dispatch);
    }
    // A corrupt ledger must not silently forget keys: forgetting one would let
    // a replay of its event start a second agent. The file is written
    // atomically, so corruption means an outside hand (or a disk fault); we
    // recover every key still legible in the damaged text and keep it as a
    // failed dispatch (its state is unknown: it may have an agent). A person
    // can look at the moved-aside file and release the ones to retry. Keys that
    // are not legible any more are lost; the error log says so.
    const stamp = this.stamp();
    for (const key of salvaged) {
      if (!this.dispatches.has(key)) {
        this.dispatches.set(key, { key, state: 'failed', details: {}, reason: 'recovered from a corrupt dispatch ledger; its real state is unknown', claimedAt: stamp, updatedAt: stamp, finishedAt: stamp });
      }
    }
    const count = this.dispatches.size;
    this.prune();
    if (salvaged.length || this.dispatches.size !== count) this.save();
  }

  private save(): void {
    this.prune();
    const data: LedgerFile = { version: FILE_VERSION, dispatches: [...this.dispatches.values()] };
    try {
      ensureDir(path.dirname(this.file));
      writeFileAtomic(this.file, JSON.stringify(data, null, 1));
    } catch (error) {
      this.log.error(LOG_TAG, `could not save the dispatch ledger ${this.file}: ${(error as Error).message}`);
      throw new DispatchError('not-saved', `could not save the dispatch ledger ${this.file}: ${(error as Error).message}; nothing was started`);
    }
  }
}

/** Every `"key": "…"` string still legible in a damaged ledger file. */
function salvageKeys(file: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const keys = new Set<string>();
  for (const match of text.matchAll(/"key"\s*:\s*("(?:[^"\\\n]|\\.)*")/g)) {
    try {
      const key = JSON.parse(match[1]) as string;
      if (key) keys.add(key);
    } catch {
      // a half-written string: not legible
    }
  }
  return [...keys];
}

function jsonCopy(details: DispatchDetails): DispatchDetails {
  const text = JSON.stringify(details ?? {});
  const copied = JSON.parse(text) as unknown;
  if (copied === null || typeof copied !== 'object' || Array.isArray(copied)) {
    throw new DispatchError('invalid-argument', `dispatch details must be a JSON object (got ${text.slice(0, 80)})`);
  }
  return copied as DispatchDetails;
}

function checkKey(key: string): void {
  if (typeof key !== 'string' || key.trim() === '' || key.length > 512) {
    throw new DispatchError('invalid-argument', `a dispatch key must be a non-empty string of at most 512 characters (got ${JSON.stringify(key)?.slice(0, 80)})`);
  }
}

function describe(dispatch: Dispatch): string {
  if (dispatch.state === 'running') return `running (agent ${dispatch.agentId})`;
  if (dispatch.state === 'failed') return `failed (${dispatch.reason})`;
  return dispatch.state;
}

function copy(dispatch: Dispatch): Dispatch {
  return structuredClone(dispatch);
}
