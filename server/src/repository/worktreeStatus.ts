/**
 * What is at stake in a worktree before it is removed: uncommitted changes,
 * commits that exist nowhere else, and processes still working inside it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../common/userError';
import { git, GitError } from './git';
import { processesInside, processWorkingDirs, type ProcessCwd } from './processesInside';
import { BASE_CONFIG_KEY } from './worktrees';

/** Enough to name the work in a message; the count is always exact. */
const LISTED_COMMITS = 20;

export interface WorktreeStatus {
  dir: string;
  /** The branch checked out, or undefined when HEAD is detached. */
  branch: string | undefined;
  head: string;
  /** The repository's common git directory. */
  gitDir: string;
  /** Whether this is the repository's main checkout (never removed). */
  main: boolean;
  /** `git status --porcelain` lines: modified, staged and untracked files. */
  uncommitted: string[];
  /** How many commits of HEAD are on neither its upstream, the base it started from, nor any remote branch. */
  unpushedCount: number;
  /** `sha subject` of the first of those commits. */
  unpushed: string[];
  /** Processes whose working directory is inside the worktree. */
  processes: ProcessCwd[];
}

export async function worktreeStatus(dir: string, snapshot?: readonly ProcessCwd[]): Promise<WorktreeStatus> {
  const root = path.resolve(dir);
  if (!fs.existsSync(root)) throw new UserError(`worktree ${root}: no such folder`);
  let facts: string[];
  try {
    facts = (await git(['rev-parse', '--path-format=absolute', '--show-toplevel', '--git-dir', '--git-common-dir', 'HEAD'], { cwd: root, timeoutMs: 30_000 })).trim().split('\n');
  } catch (error) {
    if (error instanceof GitError) throw new UserError(`worktree ${root}: not a git worktree (${error.stderr.trim() || error.message})`);
    throw error;
  }
  const [topLevel, ownGitDir, gitDir, head] = facts;
  const branch = await git(['symbolic-ref', '--quiet', '--short', 'HEAD'], { cwd: root }).then(
    (out) => out.trim(),
    () => undefined,
  );
  const uncommitted = (await git(['status', '--porcelain', '--untracked-files=all'], { cwd: root }))
    .split('\n')
    .filter((line) => line.length > 0);
  const exclude: string[] = [];
  if (branch) {
    const upstream = await git(['rev-parse', '--verify', '--quiet', '--symbolic-full-name', `${branch}@{upstream}`], { cwd: root }).then(
      (out) => out.trim(),
      () => '',
    );
    if (upstream) exclude.push(upstream);
    const base = await git(['config', `branch.${branch}.${BASE_CONFIG_KEY}`], { cwd: root }).then(
      (out) => out.trim(),
      () => '',
    );
    if (base) exclude.push(base);
  }
  const notElsewhere = ['HEAD', '--not', ...exclude, '--remotes'];
  const unpushedCount = Number((await git(['rev-list', '--count', ...notElsewhere], { cwd: root })).trim());
  const unpushed =
    unpushedCount > 0
      ? (await git(['log', `--max-count=${LISTED_COMMITS}`, '--format=%h %s', ...notElsewhere], { cwd: root })).split('\n').filter((line) => line.length > 0)
      : [];
  return {
    dir: topLevel,
    branch,
    head,
    gitDir,
    main: path.resolve(ownGitDir) === path.resolve(gitDir),
    uncommitted,
    unpushedCount,
    unpushed,
    processes: processesInside(topLevel, snapshot ?? processWorkingDirs()),
  };
}

/** Why a worktree may not be removed now, one line per reason; empty when it may. */
export function removalBlockers(status: WorktreeStatus): string[] {
  const reasons: string[] = [];
  if (status.uncommitted.length > 0) reasons.push(`${status.uncommitted.length} uncommitted change(s): ${status.uncommitted.slice(0, 5).join(', ')}${status.uncommitted.length > 5 ? ', …' : ''}`);
  if (status.unpushedCount > 0) reasons.push(`${status.unpushedCount} unpushed commit(s): ${status.unpushed.slice(0, 5).join('; ')}${status.unpushedCount > 5 ? '; …' : ''}`);
  if (status.processes.length > 0) reasons.push(`${status.processes.length} live process(es) inside: ${status.processes.map((p) => `${p.pid} ${p.command}`).join(', ')}`);
  return reasons;
}
