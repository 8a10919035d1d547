/**
 * Runs `sh -c COMMAND` in a folder with a timeout, in its own process group
 * (so a timeout kills the command and everything it started), and keeps only
 * the tail of its output: a test suite can print megabytes, the agent needs
 * the last lines.
 */
import { spawn } from 'node:child_process';

export interface CommandRun {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** The last `maxLines` lines of stdout and stderr, interleaved as they came. */
  output: string;
  /** Lines cut from the start of the output. */
  droppedLines: number;
}

/** Bytes of output kept while the command runs; the line tail is cut from these. */
const MAX_KEPT_BYTES = 256 * 1024;

export function runCommand(command: string, options: { cwd: string; timeoutMs: number; maxLines: number; signal?: AbortSignal }): Promise<CommandRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', command], { cwd: options.cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let kept = Buffer.alloc(0);
    let droppedBytes = false;
    const keep = (chunk: Buffer) => {
      kept = Buffer.concat([kept, chunk]);
      if (kept.length > MAX_KEPT_BYTES) {
        kept = kept.subarray(kept.length - MAX_KEPT_BYTES);
        droppedBytes = true;
      }
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let timedOut = false;
    const killGroup = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, options.timeoutMs);
    const onAbort = () => killGroup();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.once('error', (error) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      reject(error);
    });
    child.once('close', (exitCode, signal) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      // Whatever the command left running in its group goes with it.
      killGroup();
      const text = kept.toString('utf8').replace(/\r\n/g, '\n').replace(/\n$/, '');
      const lines = text === '' ? [] : text.split('\n');
      // A partial first line (cut mid-way by the byte bound) is not shown.
      if (droppedBytes) lines.shift();
      const tail = lines.slice(-options.maxLines);
      resolve({ exitCode, signal, timedOut, output: tail.join('\n'), droppedLines: lines.length - tail.length + (droppedBytes ? 1 : 0) });
    });
  });
}
