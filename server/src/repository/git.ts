/**
 * Runs git without a shell, with a timeout, and turns failures into errors that
 * carry git's own stderr (that is where git says what went wrong).
 */
import { execFile } from 'node:child_process';

/** Long enough for a large clone on a slow link; a hung git (a credential prompt, a dead server) still ends. */
export const GIT_TIMEOUT_MS = 10 * 60_000;

export interface GitOptions {
  cwd?: string;
  timeoutMs?: number;
  /**
   * Configuration for this one run (`http.<url>.extraHeader` with a token),
   * passed through GIT_CONFIG_COUNT/KEY/VALUE so a secret is never in the
   * process list, as `-c` would put it.
   */
  config?: Record<string, string>;
}

export class GitError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly stderr: string,
    readonly exitCode: number | null,
    reason: string,
  ) {
    super(`git ${args.join(' ')} failed (${reason})${stderr.trim() ? `: ${stderr.trim()}` : ''}`);
    this.name = 'GitError';
  }
}

/** The environment git runs in: never prompts for credentials, never inherits a caller's GIT_DIR. */
function gitEnvironment(config: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' };
  for (const name of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_COMMON_DIR', 'GIT_OBJECT_DIRECTORY']) delete env[name];
  // After any entries the caller's environment already passes this way.
  let count = Number(env.GIT_CONFIG_COUNT) || 0;
  for (const [key, value] of Object.entries(config)) {
    env[`GIT_CONFIG_KEY_${count}`] = key;
    env[`GIT_CONFIG_VALUE_${count}`] = value;
    count++;
  }
  if (count) env.GIT_CONFIG_COUNT = String(count);
  return env;
}

/** git's stdout; rejects with a GitError on a non-zero exit, a timeout or a missing git. */
export function git(args: readonly string[], options: GitOptions = {}): Promise<string> {
  const timeout = options.timeoutMs ?? GIT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd: options.cwd, env: gitEnvironment(options.config), timeout, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (!error) {
        resolve(stdout);
        return;
      }
      const failure = error as NodeJS.ErrnoException & { killed?: boolean; code?: number | string };
      const reason =
        failure.code === 'ENOENT'
          ? 'git is not installed or not on PATH'
          : failure.killed
            ? `timed out after ${timeout} ms`
            : `exit code ${String(failure.code)}`;
      reject(new GitError(args, String(stderr ?? ''), typeof failure.code === 'number' ? failure.code : null, reason));
    });
  });
}

/** Like `git`, but a failure means "no" (for probes such as "does this ref exist"). */
export async function gitSucceeds(args: readonly string[], options: GitOptions = {}): Promise<boolean> {
  try {
    await git(args, options);
    return true;
  } catch (error) {
    if (error instanceof GitError && error.exitCode !== null) return false;
    throw error;
  }
}
