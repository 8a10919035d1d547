/** Real git for tests, independent of the machine's git config: a fixed identity and default branch. */
import { execFileSync } from 'node:child_process';

export const FIXED_GIT_ENV = {
  GIT_AUTHOR_NAME: 'Superkick test',
  GIT_AUTHOR_EMAIL: 'test@superkick.invalid',
  GIT_COMMITTER_NAME: 'Superkick test',
  GIT_COMMITTER_EMAIL: 'test@superkick.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

/** For this test process and everything it starts (a host, the CLI): the machine's git config must not matter. */
export function fixGitEnvironment(): void {
  Object.assign(process.env, FIXED_GIT_ENV);
}

/** Runs git synchronously and gives its output, trimmed. Not while the test's own event loop must answer (a served remote). */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...FIXED_GIT_ENV } }).trim();
}
