/**
 * The steps from a claimed (and, if required, approved) dispatch to a running
 * agent: repository source → fresh worktree and branch → setup commands →
 * the agent's record → kickoff queued → the runtime starts its process.
 *
 * Whatever fails, nothing half-started is left behind: a worktree made for
 * this dispatch is removed again (no agent ever ran in it, so there is no
 * work to lose) and an agent record that never got its process is dropped.
 * The setup output stays in `logs/spawns/` for people to read.
 *
 * A resumed dispatch (the host stopped mid-spawn) may find its own half-made
 * worktree: it is taken down (ending what our setup left running inside) and
 * made again, since nothing in it was ever handed to an agent.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AgentSpec } from '../protocol';
import type { SpawnStep } from '../protocol/spawn';
import type { Logger } from '../common/logger';
import { ensureDir } from '../common/secureDir';
import { runShellCommand } from '../common/shellCommand';
import { UserError } from '../common/userError';
import { branchName, createWorktree, processesInside, repositorySourceFor, type ResolvedRepository } from '../repository';
import { git, gitSucceeds } from '../repository/git';
import { BASE_CONFIG_KEY } from '../repository/worktrees';
import type { AgentRuntime } from '../runtime/agentRuntime';
import type { SpawnRequest } from './spawnRequest';
import type { SpawnSettings } from './spawnSettings';

/** What the pipeline needs from the host. */
export interface PipelineHost {
  log: Logger;
  /** Where URL sources keep their cache clones. */
  repositoryCache: string;
  /** Default parent of worktrees (a runtime's `worktree_root` wins). */
  worktreeRoot: string;
  /** Where each dispatch's setup output is written. */
  setupLogs: string;
  /** Creates the agent's record as CreateAgent would (workspace, driver override, goal check). */
  createAgent(spec: AgentSpec): { id: string; token: string; spec: AgentSpec };
  /** Drops the record of an agent whose process never started. */
  forgetAgent(id: string): void;
  /** Renders the kickoff for the created agent. */
  renderKickoff(agentId: string): string;
  /** Queues the kickoff as the agent's first input. */
  queueKickoff(agentId: string, text: string): void;
  runtimeFor(settings: SpawnSettings['runtime']): AgentRuntime;
}

export type Progress = (step: SpawnStep, message: string) => void;

/** A spawn that stopped at a step, with a reason people can act on. */
export class SpawnFailure extends UserError {
  constructor(readonly step: SpawnStep, message: string) {
    super(`${step}: ${message}`);
  }
}

export interface SpawnOutcome {
  agentId: string;
  worktree: string;
  branch: string;
}

/** `resume`: the host stopped while this dispatch was spawning, so a worktree of its own may be half made. */
export async function runSpawnPipeline(host: PipelineHost, request: SpawnRequest, settings: SpawnSettings, progress: Progress, resume = false): Promise<SpawnOutcome> {
  progress('repository', `resolving ${settings.repository.name}`);
  const repo = await step('repository', () => repositorySourceFor(settings.repository.source, { cacheDir: host.repositoryCache }).resolve());
  if (repo.action !== 'local') progress('repository', `${repo.action === 'cloned' ? 'cloned' : 'fetched'} ${settings.repository.name}`);

  const branch = request.branch ?? (await step('worktree', async () => branchName(settings.repository.branchPattern, branchVars(request))));
  const dir = path.join(settings.worktreeRoot ?? host.worktreeRoot, worktreeFolder(request.key));
  progress('worktree', `creating ${dir} on branch ${branch}`);
  if (resume) await step('worktree', () => discardHalfMade(host.log, repo, dir, branch));
  ensureDir(path.dirname(dir));
  await step('worktree', () =>
    createWorktree({ repo, baseRef: settings.repository.baseBranch ?? undefined, branch, dir, include: settings.repository.include, includeFrom: includeSource(repo, request) }),
  );

  let agentId: string | undefined;
  try {
    if (settings.setup.length > 0) await runSetup(host, request, settings, dir, progress);
    progress('runtime', `starting the ${settings.agent.driver} agent (${settings.runtime.type} runtime)`);
    const created = await step('runtime', async () => host.createAgent(agentSpec(request, settings, dir, branch)));
    agentId = created.id;
    const kickoff = await step('kickoff', async () => host.renderKickoff(created.id));
    host.queueKickoff(created.id, kickoff);
    progress('kickoff', 'kickoff queued; it is typed in when the agent is ready');
    await step('runtime', () => host.runtimeFor(settings.runtime).start({ id: created.id, token: created.token, spec: created.spec, env: settings.agent.env }));
    return { agentId: created.id, worktree: dir, branch };
  } catch (error) {
    if (agentId) host.forgetAgent(agentId);
    await removeOwnWorktree(host.log, repo, dir, branch);
    throw error;
  }
}

/** The worktree's folder: readable, and unique per key (two keys that read alike differ in the hash). */
export function worktreeFolder(key: string): string {
  const readable = key.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '').slice(0, 60) || 'work';
  return `${readable}-${crypto.createHash('sha256').update(key).digest('hex').slice(0, 8)}`;
}

/** `{{key}}`, `{{spawner}}` and the event's variables, flattened (`task.number`), for branch patterns. */
function branchVars(request: SpawnRequest): Record<string, string | number> {
  const vars: Record<string, string | number> = {};
  const walk = (value: unknown, prefix: string) => {
    if (typeof value === 'string' || typeof value === 'number') vars[prefix] = value;
    else if (value && typeof value === 'object' && !Array.isArray(value)) for (const [k, v] of Object.entries(value)) walk(v, prefix ? `${prefix}.${k}` : k);
  };
  walk(request.vars, '');
  vars.key = request.key;
  vars.spawner = request.spawner ?? 'manual';
  return vars;
}

/** Include files come from the source's checkout, or for a cache clone from the workspace (its `.env`). */
function includeSource(repo: ResolvedRepository, request: SpawnRequest): string | undefined {
  return repo.checkoutDir ?? request.workspace ?? undefined;
}

function agentSpec(request: SpawnRequest, settings: SpawnSettings, dir: string, branch: string): AgentSpec {
  return {
    command: settings.agent.command,
    args: settings.agent.args,
    cwd: dir,
    name: `${request.spawner ?? 'spawn'}-${path.basename(dir).replace(/-[0-9a-f]{8}$/, '')}`.slice(0, 60),
    driver: settings.agent.driver,
    cols: 120,
    rows: 40,
    history: settings.agent.history,
    record: settings.agent.record,
    workspace: request.workspace,
    assignment: {
      goal: settings.goal,
      monitors: settings.monitors,
      notifiers: settings.notifiers,
      budgetUsd: settings.budgetUsd,
      maxDurationS: settings.maxDurationS,
      spawner: request.spawner,
      repository: settings.repository.name,
      branch,
      dispatchKey: request.key,
      worktree: dir,
      previousAgent: request.previousAgent,
    },
  };
}

async function runSetup(host: PipelineHost, request: SpawnRequest, settings: SpawnSettings, dir: string, progress: Progress): Promise<void> {
  ensureDir(host.setupLogs);
  const logFile = path.join(host.setupLogs, `${worktreeFolder(request.key)}.log`);
  const deadline = Date.now() + settings.setupTimeoutS * 1000;
  const env = { ...process.env, ...settings.agent.env, SUPERKICK_DISPATCH_KEY: request.key, SUPERKICK_WORKTREE: dir };
  for (const [index, command] of settings.setup.entries()) {
    progress('setup', `(${index + 1}/${settings.setup.length}) ${command}`);
    fs.appendFileSync(logFile, `\n$ ${command}\n`);
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new SpawnFailure('setup', `the setup commands took longer than ${settings.setupTimeoutS}s (setup_timeout); "${command}" did not run. Output: ${logFile}`);
    let result;
    try {
      result = await runShellCommand(command, { cwd: dir, timeoutMs: remaining, env });
    } catch (error) {
      throw new SpawnFailure('setup', `could not run "${command}": ${(error as Error).message}`);
    }
    fs.appendFileSync(logFile, result.output);
    if (result.timedOut) throw new SpawnFailure('setup', `"${command}" was still running when the setup time (${settings.setupTimeoutS}s) ran out; output: ${logFile}`);
    if (result.exitCode !== 0) {
      const tail = result.output.trim().split('\n').slice(-5).join('\n');
      throw new SpawnFailure('setup', `"${command}" exited with ${result.exitCode ?? `signal ${result.signal}`}${tail ? `:\n${tail}` : ''}\n(full output: ${logFile})`);
    }
  }
}

/** Runs one step, naming it in the error. */
async function step<T>(name: SpawnStep, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof SpawnFailure) throw error;
    throw new SpawnFailure(name, (error as Error).message);
  }
}

/**
 * A worktree this dispatch made before the host stopped: end what our setup
 * left inside, and take it down. Only while its branch has no commits of its
 * own: commits mean someone worked there, and that is never thrown away.
 */
async function discardHalfMade(log: Logger, repo: ResolvedRepository, dir: string, branch: string): Promise<void> {
  const base = await git(['config', `branch.${branch}.${BASE_CONFIG_KEY}`], { cwd: repo.gitDir }).then((out) => out.trim(), () => '');
  if (!base) return;
  const head = await git(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`], { cwd: repo.gitDir }).then((out) => out.trim(), () => '');
  if (head && head !== base) throw new UserError(`branch ${branch} of the interrupted spawn already has commits; look at it, then remove it or release the dispatch`);
  for (const process_ of processesInside(dir)) {
    log.warn('spawn', `ending ${process_.pid} (${process_.command}), left running by an interrupted setup in ${dir}`);
    try {
      process.kill(process_.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  log.warn('spawn', `removing the half-made worktree ${dir} of an interrupted spawn`);
  await removeOwnWorktree(log, repo, dir, branch);
}

/** Removes a worktree and branch this pipeline made (it never held an agent's work). */
async function removeOwnWorktree(log: Logger, repo: ResolvedRepository, dir: string, branch: string): Promise<void> {
  await git(['worktree', 'remove', '--force', '--force', dir], { cwd: repo.gitDir }).catch(() => undefined);
  fs.rmSync(dir, { recursive: true, force: true });
  await git(['worktree', 'prune'], { cwd: repo.gitDir }).catch(() => undefined);
  // Only a branch we made carries our base marker; anything else is someone's work.
  if (await gitSucceeds(['config', `branch.${branch}.${BASE_CONFIG_KEY}`], { cwd: repo.gitDir })) {
    await git(['branch', '-D', branch], { cwd: repo.gitDir }).catch((error) => log.warn('spawn', `could not delete branch ${branch}: ${(error as Error).message}`));
    await git(['config', '--remove-section', `branch.${branch}`], { cwd: repo.gitDir }).catch(() => undefined);
  }
}
