/**
 * Fresh git worktrees on new branches, made from a resolved repository source.
 *
 * A branch that already exists is an error, not something to reuse or suffix: a
 * dispatch key maps to one branch, so an existing branch means an earlier
 * dispatch left work there, and a person should look at it before a second
 * agent starts beside it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../common/userError';
import { git, GitError, gitSucceeds } from './git';
import { copyIncludedFiles, validateIncludePattern, type IncludeResult } from './includeFiles';
import type { ResolvedRepository } from './repositorySource';

/** Git config key (under branch.<name>) remembering the commit a worktree branch started from. */
export const BASE_CONFIG_KEY = 'superkickBase';

export interface CreateWorktreeOptions {
  repo: ResolvedRepository;
  /** A branch, tag or commit of the source; default: the source's default branch (or HEAD of a local checkout). */
  baseRef?: string;
  /** The new branch (see branchName() to render it from a pattern). */
  branch: string;
  /** Where the worktree goes; must not exist yet or be an empty folder. */
  dir: string;
  /** Paths/globs relative to the source checkout to copy in (`.env`, `config/*.local.json`). */
  include?: readonly string[];
  /** Where `include` is copied from; default: the source's checkout (a cache clone of a URL has none). */
  includeFrom?: string;
}

export interface CreatedWorktree {
  dir: string;
  branch: string;
  /** The commit the branch starts at. */
  base: string;
  include: IncludeResult;
}

export async function createWorktree(options: CreateWorktreeOptions): Promise<CreatedWorktree> {
  const { repo, branch } = options;
  const dir = path.resolve(options.dir);
  const include = options.include ?? [];
  include.forEach(validateIncludePattern);
  if (!(await gitSucceeds(['check-ref-format', '--branch', branch], { cwd: repo.gitDir })) || branch.startsWith('-')) {
    throw new UserError(`worktree branch "${branch}": not a valid git branch name (render it with branchName())`);
  }
  if (await gitSucceeds(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`], { cwd: repo.gitDir })) {
    throw new UserError(`worktree branch "${branch}": already exists in ${repo.gitDir} (an earlier dispatch may have left work on it; remove or rename it first)`);
  }
  if (fs.existsSync(dir) && (!fs.statSync(dir).isDirectory() || fs.readdirSync(dir).length > 0)) {
    throw new UserError(`worktree folder ${dir}: already exists and is not empty`);
  }
  const baseName = options.baseRef ? await repo.baseRefFor(options.baseRef) : repo.defaultBase;
  let base: string;
  try {
    base = (await git(['rev-parse', '--verify', '--quiet', `${baseName}^{commit}`], { cwd: repo.gitDir })).trim();
  } catch {
    throw new UserError(`worktree base "${options.baseRef ?? baseName}": no such branch, tag or commit in ${repo.gitDir}`);
  }
  try {
    await git(['worktree', 'add', '--quiet', '--no-track', '-b', branch, dir, base], { cwd: repo.gitDir });
  } catch (error) {
    if (error instanceof GitError) throw new UserError(`worktree ${dir}: git could not create it (${error.stderr.trim() || error.message})`);
    throw error;
  }
  await git(['config', `branch.${branch}.${BASE_CONFIG_KEY}`, base], { cwd: repo.gitDir });
  const includeFrom = options.includeFrom ?? repo.checkoutDir;
  let copied: IncludeResult = { copied: [], skipped: [] };
  if (include.length > 0 && includeFrom === undefined) {
    copied.skipped = include.map((pattern) => ({ path: pattern, reason: `the ${repo.kind} source is a bare cache clone with no checkout to copy from (give includeFrom)` }));
  } else if (include.length > 0 && includeFrom !== undefined) {
    try {
      copied = copyIncludedFiles(includeFrom, dir, include);
    } catch (error) {
      // Nothing half-made is left behind: the worktree and its branch go again.
      await git(['worktree', 'remove', '--force', '--force', dir], { cwd: repo.gitDir }).catch(() => undefined);
      await git(['branch', '-D', branch], { cwd: repo.gitDir }).catch(() => undefined);
      throw new UserError(`worktree ${dir}: copying the include files failed (${(error as Error).message}); the worktree was removed`);
    }
  }
  return { dir, branch, base, include: copied };
}
