/**
 * The worktrees agents were given, and their cleanup.
 *
 * Every agent record whose assignment names a worktree is a row: what removing
 * it would lose (uncommitted changes, unpushed commits, live processes). A
 * person prunes the worktrees of exited agents (`superkick worktrees prune`);
 * and when an agent's goal is met, its worktree is removed once the agent has
 * exited, if nothing would be lost. A worktree that holds work is kept and
 * people are told once (`worktree_kept`); a failed goal never cleans up, so a
 * person can look at what the agent left.
 *
 * Nothing is persisted here: the goal's state on the agent's record is the
 * wish, so a host that restarts sweeps the exited agents whose goal was met and
 * whose worktree is still there. `worktree_kept` has a stable id (the agent's),
 * so a sweep that finds it still held is not told twice (the notify
 * dispatcher de-duplicates by id, across restarts).
 *
 * An agent record keeps its assignment after its worktree is removed: the row
 * then reads `exists: false`, so `superkick worktrees` still says where the
 * agent worked and that the folder is gone.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ResponseError } from 'vscode-jsonrpc';
import { ErrorCode, type AgentRecord, type Spawn } from '../protocol';
import type { AgentRegistry } from '../supervisor/agentRegistry';
import type { SupervisionBus } from '../supervisor/supervisionBus';
import type { EffectiveConfig } from '../config/sections';
import type { Logger } from '../common/logger';
import { isProcessAlive } from '../common/processes';
import { processesInside, processWorkingDirs, type ProcessCwd } from '../repository/processesInside';
import { removalBlockers, worktreeStatus } from '../repository/worktreeStatus';
import { removeWorktree } from '../repository/removeWorktree';

const TAG = 'spawn.worktrees';
/** Each status runs a handful of git commands; a few at a time keeps a long list quick without flooding the machine. */
const STATUS_CONCURRENCY = 4;
/**
 * An agent process reports its program's exit, then closes its screen worker
 * and exits; until then its working directory is the worktree. Waiting this
 * long for it is generous; past it, it counts as a live process like any other.
 */
const AGENT_PROCESS_EXIT_MS = 10_000;
const AGENT_PROCESS_POLL_MS = 50;

export interface WorktreeJanitorDeps {
  registry: AgentRegistry;
  bus: SupervisionBus;
  configs: { configOf(workspace: string | null): EffectiveConfig };
  log: Logger;
}

export class WorktreeJanitor {
  /** Agents whose goal-driven cleanup was tried since this host started (once each: a kept worktree is left to a person). */
  private readonly tried = new Set<string>();
  /** One removal at a time per folder (a prune and a goal's cleanup may meet). */
  private readonly busy = new Map<string, Promise<unknown>>();
  private stopped = false;
  private readonly onChanged = ({ record, removed }: { record: AgentRecord; removed?: boolean }) => {
    if (!removed) this.consider(record);
  };
  private readonly onGoalDecided = ({ agentId }: { agentId: string }) => {
    const record = this.recordOf(agentId);
    if (record) this.consider(record);
  };

  constructor(private readonly deps: WorktreeJanitorDeps) {}

  /** Follows goals and exits from now on, and sweeps what a host that was away left to do. */
  start(): void {
    this.deps.registry.on('changed', this.onChanged);
    this.deps.bus.on('goalDecided', this.onGoalDecided);
    for (const record of this.deps.registry.list({ includeExited: true })) this.consider(record);
  }

  stop(): void {
    this.stopped = true;
    this.deps.registry.off('changed', this.onChanged);
    this.deps.bus.off('goalDecided', this.onGoalDecided);
  }

  /** Every agent's worktree with what removing it would lose, oldest agent first; `agentId` limits it to one agent. */
  async rows(options: { workspace?: string | null; agentId?: string } = {}): Promise<Spawn.WorktreeRow[]> {
    const records = this.deps.registry
      .list({ includeExited: true, only: options.agentId })
      .filter((record) => record.assignment.worktree)
      .filter((record) => !options.workspace || record.workspace === options.workspace);
    const snapshot = processWorkingDirs();
    const running = this.deps.registry.list({ includeExited: false });
    return mapBounded(records, STATUS_CONCURRENCY, (record) => this.rowOf(record, snapshot, running));
  }

  /**
   * Removes the worktrees of exited agents that hold no work; the others are
   * kept, with why. Never forced: committing, pushing or stopping is a
   * person's call, and `git worktree remove --force` is theirs to run.
   */
  async prune(options: Spawn.PruneWorktrees.Params = {}): Promise<Spawn.PruneWorktrees.Result> {
    let agentId: string | undefined;
    if (options.agent) {
      agentId = this.deps.registry.resolve(options.agent).id;
      if (!this.deps.registry.record(agentId).assignment.worktree) {
        throw new ResponseError(ErrorCode.InvalidParams, `agent ${agentId} was given no worktree; \`superkick worktrees\` lists the ones that were`);
      }
    }
    const result: Spawn.PruneWorktrees.Result = { removed: [], kept: [] };
    for (const row of await this.rows({ agentId })) {
      if (!row.exists) continue;
      if (row.blockers.length > 0 || options.dryRun) {
        (row.blockers.length > 0 ? result.kept : result.removed).push(row);
        continue;
      }
      const outcome = await this.remove(row.dir, row.agentId!);
      if (outcome.removed) result.removed.push({ ...row, exists: false });
      else result.kept.push({ ...row, blockers: outcome.blockers });
    }
    return result;
  }

  private async rowOf(record: AgentRecord, snapshot: readonly ProcessCwd[], running: readonly AgentRecord[]): Promise<Spawn.WorktreeRow> {
    const dir = record.assignment.worktree!;
    const row: Spawn.WorktreeRow = {
      dir,
      branch: record.assignment.branch ?? null,
      gitDir: null,
      agentId: record.id,
      agentName: record.name,
      agentState: record.state,
      goalState: record.goal?.state ?? null,
      dispatchKey: record.assignment.dispatchKey ?? null,
      exists: fs.existsSync(dir),
      uncommitted: 0,
      unpushed: 0,
      processes: 0,
      blockers: [],
    };
    if (!row.exists) return row;
    // A running agent (this one, or a later step given the same folder) is still using it.
    for (const agent of running) {
      if (agent.id === record.id || agent.assignment.worktree === dir) row.blockers.push(`agent ${agent.id} is still running`);
    }
    try {
      const status = await worktreeStatus(dir, snapshot);
      row.branch = status.branch ?? row.branch;
      row.gitDir = status.gitDir;
      row.uncommitted = status.uncommitted.length;
      row.unpushed = status.unpushedCount;
      row.processes = status.processes.length;
      if (status.main) row.blockers.push("it is the repository's main checkout, which is never removed");
      row.blockers.push(...removalBlockers(status));
    } catch (error) {
      // Not a git worktree any more (its repository moved or was deleted): a person should look.
      row.blockers.push((error as Error).message);
    }
    return row;
  }

  /** Removes one worktree with the guards; a guard that holds (a race since the row was made) keeps it. */
  private remove(dir: string, agentId: string): Promise<{ removed: true } | { removed: false; blockers: string[] }> {
    return this.exclusive(dir, async () => {
      if (!fs.existsSync(dir)) return { removed: true };
      try {
        await removeWorktree(dir);
        this.deps.log.info(TAG, `removed worktree ${dir} of agent ${agentId}`);
        return { removed: true };
      } catch (error) {
        return { removed: false, blockers: [(error as Error).message] };
      }
    });
  }

  /** Goal-driven cleanup: an agent whose goal was met, once it has exited and its process is gone. */
  private consider(record: AgentRecord): void {
    if (this.stopped || this.tried.has(record.id)) return;
    const dir = record.assignment.worktree;
    if (!dir || record.goal?.state !== 'met' || record.state !== 'exited' || record.connected) return;
    this.tried.add(record.id);
    if (!fs.existsSync(dir)) return;
    if (this.keepsWorktrees(record.workspace)) {
      this.deps.log.info(TAG, `worktree ${dir} of agent ${record.id} kept: the workspace's runtime has keep_worktrees: true`);
      return;
    }
    void this.cleanUp(record, dir).catch((error: Error) => this.deps.log.error(TAG, `cleaning up worktree ${dir} of agent ${record.id} failed: ${error.message}`));
  }

  private async cleanUp(record: AgentRecord, dir: string): Promise<void> {
    if (record.pid !== null && processesInside(dir).some((p) => p.pid === record.pid)) await this.processGone(record.pid);
    if (this.stopped) return;
    const [row] = await this.rows({ agentId: record.id });
    if (!row?.exists) return;
    const outcome = row.blockers.length > 0 ? { removed: false as const, blockers: row.blockers } : await this.remove(dir, record.id);
    if (outcome.removed) return;
    this.deps.bus.publish('worktree_kept', record.id, {
      agentId: record.id,
      workspace: record.workspace,
      summary: `The goal was met, but the worktree ${dir} was kept because it holds work:\n${outcome.blockers.map((b) => `- ${b}`).join('\n')}\nCommit and push it, stop the processes, then run: superkick worktrees prune --agent ${record.id}`,
      details: { dir, branch: row.branch, uncommitted: row.uncommitted, unpushed: row.unpushed, processes: row.processes, blockers: outcome.blockers },
    });
    this.deps.log.info(TAG, `worktree ${dir} of agent ${record.id} kept after its goal was met: ${outcome.blockers.join('; ')}`);
  }

  private keepsWorktrees(workspace: string | null): boolean {
    const runtime = this.deps.configs.configOf(workspace).runtime as { keep_worktrees?: unknown } | undefined;
    return runtime?.keep_worktrees === true;
  }

  /** Resolves when the process is gone, or after AGENT_PROCESS_EXIT_MS (it then blocks like any live process). */
  private processGone(pid: number): Promise<void> {
    const until = Date.now() + AGENT_PROCESS_EXIT_MS;
    return new Promise((resolve) => {
      const check = () => {
        if (this.stopped || !isProcessAlive(pid) || Date.now() >= until) resolve();
        else setTimeout(check, AGENT_PROCESS_POLL_MS).unref();
      };
      check();
    });
  }

  private exclusive<T>(dir: string, body: () => Promise<T>): Promise<T> {
    const key = path.resolve(dir);
    const run = (this.busy.get(key) ?? Promise.resolve()).then(body, body);
    const settled = run.catch(() => undefined);
    this.busy.set(key, settled);
    void settled.then(() => {
      if (this.busy.get(key) === settled) this.busy.delete(key);
    });
    return run;
  }

  private recordOf(id: string): AgentRecord | undefined {
    try {
      return this.deps.registry.record(id);
    } catch {
      return undefined;
    }
  }
}

/** `fn` over `items`, at most `limit` at once, results in the items' order. */
async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
