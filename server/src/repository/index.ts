/** Repository sources and worktrees: what the spawn pipeline uses to give each agent its own checkout. */
export { branchName, sanitizeBranchName, MAX_BRANCH_LENGTH } from './branchName';
export { GitError } from './git';
export { cacheDirFor, GitUrlRepositorySource } from './gitUrlRepositorySource';
export { copyIncludedFiles, type IncludeResult } from './includeFiles';
export { listWorktrees, type ListedWorktree } from './listWorktrees';
export { LocalRepositorySource } from './localRepositorySource';
export { processesInside, processWorkingDirs, type ProcessCwd } from './processesInside';
export { removeWorktree, type RemoveWorktreeOptions } from './removeWorktree';
export type { RepositorySource, RepositorySourceContext, ResolvedRepository } from './repositorySource';
export { repositorySourceFor, SOURCE_KINDS, type RepositorySourceConfig, type RepositorySourceFactory } from './repositorySources';
export { removalBlockers, worktreeStatus, type WorktreeStatus } from './worktreeStatus';
export { createWorktree, type CreatedWorktree, type CreateWorktreeOptions } from './worktrees';
