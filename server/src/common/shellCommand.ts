/**
 * Runs a command line from the user's configuration (`sh -c`), the one way
 * every configured command runs (command goals, the shell monitor, command
 * notifiers): in a given folder, in a process group of its own, with a time
 * limit that ends the whole group (SIGTERM, then SIGKILL), and whatever it
 * leaves running in its group ends with it. Its output is kept bounded (the
 * tail). Values from events are passed in the environment or on standard
 * input, never spliced into the command line.
 */
import { spawn } from 'node:child_process';

export interface ShellCommandOptions {
  cwd: string;
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
  /** Written to its standard input, which is then closed; absent: no input. */
  stdin?: string;
  /** Bytes of combined output kept (the last ones); default 256 KiB. */
  maxOutputBytes?: number;
  /** Aborting ends the command's group at once. */
  signal?: AbortSignal;
}

export interface ShellCommandResult {
  /** Exit status; null when a signal ended it (a timeout, an abort). */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** stdout and stderr interleaved as they came: the tail, when there was more. */
  output: string;
  /** Output was cut from the start to stay within the bound. */
  outputTruncated: boolean;
  /** The tail of stderr alone, for an error message. */
  stderr: string;
}

const DEFAULT_OUTPUT_BYTES = 256 * 1024;
const STDERR_KEPT_BYTES = 8 * 1024;
/** After the polite SIGTERM to its group, what is still there gets SIGKILL. */
const KILL_GRACE_MS = 2_000;
/** Once the shell has exited, how long a background child may hold its output open before we stop reading. */
const PIPE_GRACE_MS = 1_000;

/** Resolves when the command has ended; rejects only when it could not be started (no shell, no folder). */
export function runShellCommand(command: string, options: ShellCommandOptions): Promise<ShellCommandResult> {
  const limit = options.maxOutputBytes ?? DEFAULT_OUTPUT_BYTES;
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      detached: true,
    });
    const output = new Tail(limit);
    const stderr = new Tail(STDERR_KEPT_BYTES);
    child.stdout!.on('data', (chunk: Buffer) => output.add(chunk));
    child.stderr!.on('data', (chunk: Buffer) => {
      output.add(chunk);
      stderr.add(chunk);
    });
    if (child.stdin) {
      // A command that does not read its input closes the pipe early: that is its business.
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.stdin);
    }
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, signal);
      } catch {
        // Already gone.
      }
    };
    let timedOut = false;
    let killTimer: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup('SIGTERM');
      killTimer = setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS);
    }, options.timeoutMs);
    const onAbort = () => killGroup('SIGKILL');
    options.signal?.addEventListener('abort', onAbort, { once: true });

    let finished = false;
    const settle = () => {
      finished = true;
      clearTimeout(timer);
      clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
    };
    const finish = (exitCode: number | null, signal: NodeJS.Signals | null) => {
      if (finished) return;
      settle();
      child.stdout!.destroy();
      child.stderr!.destroy();
      killGroup('SIGKILL');
      resolve({ exitCode, signal, timedOut, output: output.text, outputTruncated: output.truncated, stderr: stderr.text });
    };
    child.once('error', (error) => {
      if (finished) return;
      settle();
      reject(error);
    });
    child.once('close', finish);
    child.once('exit', (code, signal) => {
      // Normally 'close' follows at once; a background child holding the pipes open must not hold us.
      setTimeout(() => finish(code, signal), PIPE_GRACE_MS).unref();
    });
  });
}

/** The last `limit` bytes of a stream. */
class Tail {
  private kept = Buffer.alloc(0);
  truncated = false;

  constructor(private readonly limit: number) {}

  add(chunk: Buffer): void {
    this.kept = Buffer.concat([this.kept, chunk]);
    if (this.kept.length > this.limit) {
      this.kept = this.kept.subarray(this.kept.length - this.limit);
      this.truncated = true;
    }
  }

  get text(): string {
    return this.kept.toString('utf8');
  }
}
