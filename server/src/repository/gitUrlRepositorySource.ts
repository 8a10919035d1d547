/**
 * A repository known by its git URL. The first resolve clones it once into a bare
 * cache clone under the caller's cache dir; later resolves reuse that clone and
 * only `git fetch --prune`, so a second agent on the same remote downloads only
 * what is new.
 *
 * Why not `git clone --mirror`: a mirror fetches `+refs/*:refs/*` with prune, which
 * would delete the local branches our worktrees are on at the next fetch. The cache
 * keeps the remote's branches under `refs/remotes/origin/*` instead, so worktree
 * branches (`refs/heads/*`) are ours and fetching never touches them.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../common/userError';
import { git, GitError, gitSucceeds } from './git';
import type { RepositorySource, RepositorySourceContext, ResolvedRepository } from './repositorySource';

/** The remote-tracking name of the source's default branch, set from the remote's HEAD. */
const REMOTE_HEAD = 'refs/remotes/origin/HEAD';

/** One clone-or-fetch at a time per cache clone, so concurrent resolves of one URL never clone twice. */
const inFlight = new Map<string, Promise<unknown>>();

export function cacheDirFor(cacheDir: string, url: string): string {
  return path.join(cacheDir, `${createHash('sha256').update(url).digest('hex').slice(0, 32)}.git`);
}

/** What a kind built on a git URL (`github: owner/repo`) adds. */
export interface GitUrlSourceOptions {
  /** The source kind it reports and names in errors (default `git`). */
  kind?: string;
  /** Git configuration for the runs that talk to the remote (a token's `http.<url>.extraHeader`), read at each resolve. */
  remoteConfig?: () => Record<string, string>;
}

export class GitUrlRepositorySource implements RepositorySource {
  readonly kind: string;

  constructor(
    readonly url: string,
    private readonly context: RepositorySourceContext,
    private readonly options: GitUrlSourceOptions = {},
  ) {
    this.kind = options.kind ?? 'git';
    if (!url.trim()) throw new UserError('repository source git: the URL is empty (give a clone URL such as https://host/owner/repo.git)');
    // A URL starting with '-' would be read by git as an option.
    if (url.startsWith('-')) throw new UserError(`repository source git: "${url}" is not a URL (it starts with "-")`);
  }

  resolve(): Promise<ResolvedRepository> {
    const gitDir = cacheDirFor(this.context.cacheDir, this.url);
    const previous = inFlight.get(gitDir) ?? Promise.resolve();
    const mine = previous.catch(() => undefined).then(() => this.cloneOrFetch(gitDir));
    inFlight.set(gitDir, mine);
    const forget = () => {
      if (inFlight.get(gitDir) === mine) inFlight.delete(gitDir);
    };
    mine.then(forget, forget);
    return mine;
  }

  private async cloneOrFetch(gitDir: string): Promise<ResolvedRepository> {
    let action: 'cloned' | 'fetched';
    if (fs.existsSync(gitDir)) {
      await this.fetch(gitDir);
      action = 'fetched';
    } else {
      await this.clone(gitDir);
      action = 'cloned';
    }
    const remoteHeadKnown = await gitSucceeds(['rev-parse', '--verify', '--quiet', `${REMOTE_HEAD}^{commit}`], { cwd: gitDir });
    return {
      kind: this.kind,
      gitDir,
      checkoutDir: undefined,
      defaultBase: remoteHeadKnown ? REMOTE_HEAD : 'HEAD',
      baseRefFor: async (name) => {
        // A branch name means the remote's branch as last fetched; anything else (tag, sha) is used as is.
        const remoteBranch = `refs/remotes/origin/${name}`;
        return (await gitSucceeds(['rev-parse', '--verify', '--quiet', `${remoteBranch}^{commit}`], { cwd: gitDir })) ? remoteBranch : name;
      },
      action,
    };
  }

  /** Clones into a temporary name and renames it into place, so a crash never leaves a half clone that looks whole. */
  private async clone(gitDir: string): Promise<void> {
    fs.mkdirSync(path.dirname(gitDir), { recursive: true });
    const partial = `${gitDir}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      await git(['init', '--bare', '--quiet', partial]);
      await git(['remote', 'add', 'origin', this.url], { cwd: partial });
      await git(['config', 'remote.origin.fetch', '+refs/heads/*:refs/remotes/origin/*'], { cwd: partial });
      await git(['config', '--add', 'remote.origin.fetch', '+refs/tags/*:refs/tags/*'], { cwd: partial });
      await this.fetchInto(partial);
      try {
        fs.renameSync(partial, gitDir);
      } catch (error) {
        // Another process (a CLI beside the host) finished the same clone first: use theirs.
        if (!fs.existsSync(gitDir)) throw error;
        fs.rmSync(partial, { recursive: true, force: true });
      }
    } catch (error) {
      fs.rmSync(partial, { recursive: true, force: true });
      if (error instanceof GitError) throw new UserError(`repository source ${this.kind} ${this.url}: cannot clone (${error.stderr.trim() || error.message}); check the URL and your access to it`);
      throw error;
    }
  }

  private async fetch(gitDir: string): Promise<void> {
    try {
      await this.fetchInto(gitDir);
    } catch (error) {
      if (error instanceof GitError) throw new UserError(`repository source ${this.kind} ${this.url}: cannot fetch into the cache ${gitDir} (${error.stderr.trim() || error.message})`);
      throw error;
    }
  }

  private async fetchInto(gitDir: string): Promise<void> {
    const config = this.options.remoteConfig?.();
    await git(['fetch', '--prune', '--quiet', 'origin'], { cwd: gitDir, config });
    // Follow the remote's default branch (it may have been renamed since the clone).
    // The cache's own HEAD is left alone: git wants it under refs/heads, and nothing uses it.
    await git(['remote', 'set-head', 'origin', '--auto'], { cwd: gitDir, config });
  }
}
