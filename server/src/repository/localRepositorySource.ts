/** A repository that already exists on this machine: worktrees are made straight from it. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../common/userError';
import { git, GitError } from './git';
import type { RepositorySource, ResolvedRepository } from './repositorySource';

export class LocalRepositorySource implements RepositorySource {
  readonly kind = 'local';

  constructor(readonly repoPath: string) {}

  async resolve(): Promise<ResolvedRepository> {
    const dir = path.resolve(this.repoPath);
    if (!fs.existsSync(dir)) throw new UserError(`repository ${dir}: no such directory (give the path of an existing git repository)`);
    if (!fs.statSync(dir).isDirectory()) throw new UserError(`repository ${dir}: not a directory (give the path of an existing git repository)`);
    let gitDir: string;
    let bare: boolean;
    try {
      const [commonDir, isBare] = (await git(['rev-parse', '--path-format=absolute', '--git-common-dir', '--is-bare-repository'], { cwd: dir, timeoutMs: 30_000 })).trim().split('\n');
      gitDir = commonDir;
      bare = isBare === 'true';
    } catch (error) {
      if (error instanceof GitError) throw new UserError(`repository ${dir}: not a git repository (${error.stderr.trim() || error.message}); run \`git init\` there or give another path`);
      throw error;
    }
    const checkoutDir = bare ? undefined : (await git(['rev-parse', '--show-toplevel'], { cwd: dir, timeoutMs: 30_000 })).trim();
    return {
      kind: this.kind,
      gitDir,
      checkoutDir,
      defaultBase: 'HEAD',
      baseRefFor: async (name) => name,
      action: 'local',
    };
  }
}
