/**
 * The raw minimum a spawn can cost, the spawn bench's peer: `git worktree
 * add -b` on the repository, then the agent program started with
 * child_process in that worktree, timed until its first output. Over HTTP it
 * first clones (`git clone --bare`) or fetches the remote, as any script would.
 * Cleanup ends only the programs it started, by pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cleanup, killPid, now, waitGone, withTimeout } from '../common';
import { gitAsync } from '../bigRepo';

export interface RawSpawned {
  /** From the first git command to the program's first output. */
  ms: number;
  dir: string;
  branch: string;
}

export class RawSpawner {
  private readonly programs: ChildProcess[] = [];
  private readonly worktrees: Array<{ gitDir: string; dir: string; branch: string }> = [];
  private readonly forget: () => void;

  constructor(
    /** The agent program, e.g. `['sh', '-c', 'printf "ready> "; exec cat']`. */
    private readonly program: string[],
    /** What its first output must contain. */
    private readonly marker: string,
  ) {
    this.forget = cleanup.add('raw spawns', () => this.dispose());
  }

  /** A worktree of `gitDir` on a new branch from `base`, and the program running in it. */
  async spawn(gitDir: string, base: string, dir: string, branch: string): Promise<RawSpawned> {
    const start = now();
    await this.start(gitDir, base, dir, branch);
    return { ms: now() - start, dir, branch };
  }

  /** `git clone --bare URL` into `cacheGitDir` (or `git fetch` when it is there), then as `spawn`. */
  async spawnFromUrl(url: string, cacheGitDir: string, dir: string, branch: string): Promise<RawSpawned> {
    const start = now();
    if (fs.existsSync(cacheGitDir)) await gitAsync(cacheGitDir, ['fetch', '--quiet', url, '+refs/heads/main:refs/heads/main']);
    else await gitAsync(path.dirname(cacheGitDir), ['clone', '--bare', '--quiet', url, cacheGitDir]);
    await this.start(cacheGitDir, 'main', dir, branch);
    return { ms: now() - start, dir, branch };
  }

  private async start(gitDir: string, base: string, dir: string, branch: string): Promise<void> {
    await gitAsync(gitDir, ['worktree', 'add', '--quiet', '-b', branch, dir, base]);
    this.worktrees.push({ gitDir, dir, branch });
    const child = spawn(this.program[0], this.program.slice(1), { cwd: dir, stdio: ['pipe', 'pipe', 'ignore'] });
    this.programs.push(child);
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        let seen = '';
        child.once('error', reject);
        child.once('exit', (code) => reject(new Error(`the peer's program exited (${code}) before printing ${JSON.stringify(this.marker)}`)));
        child.stdout!.on('data', (chunk: Buffer) => {
          seen += chunk.toString();
          if (seen.includes(this.marker)) resolve();
        });
      }),
      15_000,
      "the peer's program to print its prompt",
    );
  }

  /** Ends the programs, then removes the worktrees and their branches. */
  async dispose(): Promise<void> {
    for (const child of this.programs.splice(0)) {
      child.stdin?.destroy();
      killPid(child.pid);
      if (child.pid) await waitGone(child.pid);
    }
    for (const { gitDir, dir, branch } of this.worktrees.splice(0)) {
      await gitAsync(gitDir, ['worktree', 'remove', '--force', '--force', dir]).catch(() => undefined);
      await gitAsync(gitDir, ['branch', '-D', branch]).catch(() => undefined);
    }
    this.forget();
  }
}
