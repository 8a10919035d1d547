/**
 * The shell monitor's run of its command: the one configured-command runner
 * (common/shellCommand.ts), keeping only the last lines of the output — a
 * test suite can print megabytes; the agent needs the last lines.
 */
import { runShellCommand } from '../../common/shellCommand';

export interface CommandRun {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** The last `maxLines` lines of stdout and stderr, interleaved as they came. */
  output: string;
  /** Lines cut from the start of the output. */
  droppedLines: number;
}

export async function runCommand(command: string, options: { cwd: string; timeoutMs: number; maxLines: number; signal?: AbortSignal }): Promise<CommandRun> {
  const run = await runShellCommand(command, { cwd: options.cwd, timeoutMs: options.timeoutMs, signal: options.signal });
  const text = run.output.replace(/\r\n/g, '\n').replace(/\n$/, '');
  const lines = text === '' ? [] : text.split('\n');
  // A partial first line (cut mid-way by the byte bound) is not shown.
  if (run.outputTruncated) lines.shift();
  const tail = lines.slice(-options.maxLines);
  return { exitCode: run.exitCode, signal: run.signal, timedOut: run.timedOut, output: tail.join('\n'), droppedLines: lines.length - tail.length + (run.outputTruncated ? 1 : 0) };
}
