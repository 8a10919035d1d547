/**
 * Runs a command line from the user's configuration (`sh -c`), the way every
 * configured command runs: in a given folder, with a time limit that ends the
 * whole process group, its output kept (the tail, bounded). Values from
 * events are passed in the environment or on standard input, never spliced
 * into the command line.
 */
import { spawn } from 'node:child_process';

export interface ShellCommandOptions {
  cwd: string;
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
  stdin?: string;
  /** Bytes of combined output kept (the last ones); default 64 KiB. */
  maxOutputBytes?: number;
}

export interface ShellCommandResult {
  /** Exit status, or null when it was killed (timeout) or could not start. */
  exitCode: number | null;
  timedOut: boolean;
  /** stdout and stderr interleaved as they came, the tail only. */
  output: string;
  /** Why it could not start (sh missing, cwd gone). */
  error: string | null;
}

const KILL_GRACE_MS = 2_000;

export function runShellCommand(command: string, options: ShellCommandOptions): Promise<ShellCommandResult> {
  const limit = options.maxOutputBytes ?? 64 * 1024;
  return new Promise((resolve) => {
    let output = Buffer.alloc(0);
    let timedOut = false;
    const keep = (chunk: Buffer) => {
      output = Buffer.concat([output, chunk]);
      if (output.length > limit) output = output.subarray(output.length - limit);
    };
    const child = spawn('sh', ['-c', command], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      // Its own process group, so the time limit ends what it started too.
      detached: true,
    });
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, signal);
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup('SIGTERM');
      setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS).unref();
    }, options.timeoutMs);
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.stdin ?? '');
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ exitCode: null, timedOut: false, output: '', error: error.message });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ exitCode: timedOut ? null : code, timedOut, output: output.toString('utf8'), error: null });
    });
  });
}
