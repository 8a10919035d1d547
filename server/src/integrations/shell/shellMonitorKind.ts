/**
 * The shell monitor's behaviour: each poll runs the command in the agent's
 * folder and reports the run; `notify_on` decides which runs an entry tells
 * its agent about. Two agents in one folder with the same command share one
 * run per interval.
 */
import * as fs from 'node:fs';
import type { MonitorEntry, MonitorEvent, MonitorKind } from '../../monitors/monitorKind';
import { runCommand } from './runCommand';

const DEFAULT_TIMEOUT_S = 60;
const DEFAULT_MAX_OUTPUT_LINES = 50;

export interface ShellParams {
  cwd: string;
  command: string;
  timeoutS: number;
  maxOutputLines: number;
}

export interface ShellState {
  /** Runs so far; the event ids count them. */
  runs: number;
  /** Whether the last run failed (null before the first). */
  failing: boolean | null;
  /** The alert of the failure that is going on, for agents that start watching during it. */
  ongoingAlert: MonitorEvent | null;
}

type NotifyOn = 'failure' | 'change' | 'always';

export const shellMonitorKind: MonitorKind<ShellParams, ShellState> = {
  async probe(agent, entry) {
    const command = entry.config.command;
    if (typeof command !== 'string' || !command.trim()) return { applies: false, reason: 'it has no command' };
    if (!fs.statSync(agent.cwd, { throwIfNoEntry: false })?.isDirectory()) return { applies: false, reason: `the agent's folder ${agent.cwd} does not exist` };
    const params: ShellParams = {
      cwd: agent.cwd,
      command,
      timeoutS: positive(entry.config.timeout, DEFAULT_TIMEOUT_S),
      maxOutputLines: positive(entry.config.max_output_lines, DEFAULT_MAX_OUTPUT_LINES),
    };
    return { applies: true, resources: [{ key: JSON.stringify([agent.cwd, command]), params, label: `${oneLine(command)} in ${agent.cwd}` }] };
  },

  async poll(resource, previous, env) {
    const { cwd, command, timeoutS, maxOutputLines } = resource.params;
    const run = await runCommand(command, { cwd, timeoutMs: timeoutS * 1000, maxLines: maxOutputLines, signal: env.signal });
    const failed = run.timedOut || run.exitCode !== 0;
    const runs = (previous?.runs ?? 0) + 1;
    const wasFailing = previous?.failing ?? null;
    const changed = wasFailing === null ? failed : failed !== wasFailing;
    const exitStatus = run.exitCode ?? (run.signal ? `killed by ${run.signal}` : null);
    const event: MonitorEvent = {
      id: `run-${runs}`,
      template: failed ? 'shell_alert' : 'shell_success',
      summary: failed ? `\`${oneLine(command)}\` ${run.timedOut ? `timed out after ${timeoutS} s` : `failed (exit status ${exitStatus})`}` : `\`${oneLine(command)}\` passes again`,
      variables: {
        run: {
          command,
          cwd,
          exit_status: exitStatus,
          timed_out: run.timedOut,
          timeout_s: timeoutS,
          failed,
          changed,
          // Command output is outside text: the manager sanitizes it and the template frames it.
          output: run.output,
          output_lines: run.output === '' ? 0 : run.output.split('\n').length,
          dropped_lines: run.droppedLines,
          number: runs,
        },
      },
    };
    const ongoingAlert = failed ? (changed || !previous?.ongoingAlert ? event : previous.ongoingAlert) : null;
    return { state: { runs, failing: failed, ongoingAlert }, events: [event] };
  },

  wants(event, entry) {
    const run = (event.variables.run ?? {}) as { failed?: boolean; changed?: boolean };
    switch (notifyOn(entry)) {
      case 'always':
        return true;
      case 'failure':
        return Boolean(run.failed);
      default:
        return Boolean(run.changed);
    }
  },

  current(state) {
    return state.failing && state.ongoingAlert ? [state.ongoingAlert] : [];
  },
};

function notifyOn(entry: MonitorEntry): NotifyOn {
  const value = entry.config.notify_on;
  return value === 'failure' || value === 'always' ? value : 'change';
}

function positive(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}
