/**
 * Removes a worktree only when nothing would be lost: no uncommitted changes, no
 * commits that exist only there, no process still working inside. `force`
 * overrides those guards (a person decided); the main checkout is never removed.
 * The branch is kept: its commits stay reachable in the repository.
 */
import { UserError } from '../common/userError';
import { git, GitError } from './git';
import { removalBlockers, worktreeStatus, type WorktreeStatus } from './worktreeStatus';

export interface RemoveWorktreeOptions {
  force?: boolean;
}

export async function removeWorktree(dir: string, options: RemoveWorktreeOptions = {}): Promise<WorktreeStatus> {
  const status = await worktreeStatus(dir);
  if (status.main) throw new UserError(`worktree ${status.dir}: is the repository's main checkout, which is never removed`);
  const blockers = removalBlockers(status);
  if (blockers.length > 0 && !options.force) {
    throw new UserError(`worktree ${status.dir}: not removed because it has\n  - ${blockers.join('\n  - ')}\nCommit and push the work, stop the processes, or remove it with force.`);
  }
  // Twice --force also removes a locked worktree; git's own checks were already made above.
  const force = options.force || blockers.length > 0 ? ['--force', '--force'] : [];
  try {
    await git(['worktree', 'remove', ...force, status.dir], { cwd: status.gitDir });
  } catch (error) {
    if (error instanceof GitError) throw new UserError(`worktree ${status.dir}: git could not remove it (${error.stderr.trim() || error.message})`);
    throw error;
  }
  return status;
}
