/** The worktrees made from a repository (its main checkout left out), each with the status that guards its removal. */
import * as fs from 'node:fs';
import { git } from './git';
import { processWorkingDirs } from './processesInside';
import { worktreeStatus, type WorktreeStatus } from './worktreeStatus';

export type ListedWorktree =
  | { dir: string; missing: false; status: WorktreeStatus }
  /** Registered in git but its folder is gone (`git worktree prune` forgets it). */
  | { dir: string; missing: true; branch: string | undefined };

export async function listWorktrees(repo: { gitDir: string }): Promise<ListedWorktree[]> {
  const blocks = (await git(['worktree', 'list', '--porcelain'], { cwd: repo.gitDir })).split('\n\n').filter((block) => block.trim());
  const snapshot = processWorkingDirs();
  const listed: ListedWorktree[] = [];
  // The first block is the main worktree (the checkout, or the bare repository itself).
  for (const block of blocks.slice(1)) {
    const fields = new Map(
      block.split('\n').map((line) => {
        const space = line.indexOf(' ');
        return space === -1 ? [line, ''] : [line.slice(0, space), line.slice(space + 1)];
      }),
    );
    const dir = fields.get('worktree');
    if (!dir) continue;
    const branch = fields.get('branch')?.replace(/^refs\/heads\//, '');
    if (!fs.existsSync(dir)) listed.push({ dir, missing: true, branch });
    else listed.push({ dir, missing: false, status: await worktreeStatus(dir, snapshot) });
  }
  return listed;
}
