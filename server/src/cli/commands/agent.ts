/**
 * `superkick agent [--headless] [--name N] -- CMD ARGS`: start an agent. In the
 * foreground this terminal becomes its first viewer; detaching leaves it
 * running, and when the program exits we exit with its code.
 */
import * as path from 'node:path';
import type { Command } from 'commander';
import { Host, type AgentAssignment, type AgentSpec } from '../../protocol';
import { findWorkspaceRoot } from '../../config/workspaceRoot';
import { resolveCommand } from '../../common/commandPath';
import { UserError } from '../../common/userError';
import { startAgentProcess } from '../../agent/startAgentProcess';
import { DRIVERS, driverForCommand, driverNamed } from '../../drivers';
import { attachTerminal } from '../attachClient';
import { DEFAULT_DETACH_KEY, detachSequences } from '../detachKey';
import { shellExitCode } from '../format';
import { printJson, withHost } from './withHost';

interface AgentOptions {
  headless?: boolean;
  name?: string;
  driver?: string;
  cwd?: string;
  history: string;
  record?: boolean;
  detachKey: string;
  json?: boolean;
  goal?: string;
  monitor?: string[];
  notifier?: string[];
  budget?: string;
  maxDuration?: string;
  mcp?: boolean;
}

export const DEFAULT_HISTORY_LINES = 10_000;

export function registerAgent(program: Command): void {
  program
    .command('agent')
    .description('run a program (an agent CLI, or any command) under Superkick')
    .argument('<command...>', 'the program and its arguments (put them after --)')
    .option('--headless', 'start it without a terminal of its own; attach later')
    .option('--name <name>', 'a name to refer to it by (default: the program name)')
    .option('--driver <driver>', `how to read its screen: ${DRIVERS.map((d) => d.name).join(', ')} (default: from the program name)`)
    .option('--cwd <dir>', 'working directory (default: here)')
    .option('--history <lines>', 'lines of history to keep', String(DEFAULT_HISTORY_LINES))
    .option('--record', 'write an asciicast recording from the start')
    .option('--detach-key <key>', 'key that detaches this terminal', DEFAULT_DETACH_KEY)
    .option('--json', 'print the agent record as JSON (with --headless)')
    .option('--goal <name>', 'an entry under goals: in superkick.yml that says when it is done')
    .option('--monitor <name>', 'an entry under monitors: that watches it (repeat for more; default: all that apply)', collect)
    .option('--notifier <name>', 'an entry under notifiers: told about it (repeat for more; default: all)', collect)
    .option('--budget <usd>', 'cost limit in US dollars; at the limit it is paused and a person is asked')
    .option('--max-duration <seconds>', 'stop it after this many seconds, whatever its goal says')
    .option('--mcp', "hand the program the Superkick MCP server even if its name is not the driver's CLI (a wrapper script)")
    .option('--no-mcp', 'do not hand the program the Superkick MCP server')
    .action(async (words: string[], options: AgentOptions) => {
      const [command, ...args] = words;
      const cwd = path.resolve(options.cwd ?? process.cwd());
      if (!resolveCommand(command, cwd)) throw new UserError(`command not found: ${command}`, 127);
      const history = Number(options.history);
      if (!Number.isInteger(history) || history < 0) throw new UserError(`--history must be a whole number of lines, not "${options.history}"`);
      const detachKeys = detachSequences(options.detachKey);
      const spec: AgentSpec = {
        command,
        args,
        cwd,
        name: options.name ?? path.basename(command),
        driver: (options.driver ? driverNamed(options.driver) : driverForCommand(command)).name,
        cols: process.stdout.columns || 80,
        rows: process.stdout.rows || 24,
        history,
        record: Boolean(options.record),
        workspace: findWorkspaceRoot(cwd),
        assignment: assignmentFrom(options),
        ...(options.mcp === undefined ? {} : { mcp: options.mcp }),
      };
      const started = await withHost(async (host) => {
        const created = await host.connection.sendRequest(Host.CreateAgent.type, spec);
        await startAgentProcess(created.id, created.token, created.spec);
        const record = await host.connection.sendRequest(Host.ResolveAgent.type, { agent: created.id });
        return { ...created, record: record.record };
      });
      if (options.headless) {
        if (options.json) printJson(started.record);
        else console.log(started.id);
        return;
      }
      const outcome = await attachTerminal({ socketPath: started.attachSocket, token: started.token, detachKeys });
      process.exitCode = reportOutcome(outcome, started.id, started.record.name);
    });

  program
    .command('__agent', { hidden: true })
    .description('internal: the agent process')
    // Loaded only here: the pty, the screen worker and the log writer are not needed by other commands.
    .action(async () => (await import('../../agent/agentProcess')).runAgentProcess());
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function assignmentFrom(options: AgentOptions): AgentAssignment {
  const assignment: AgentAssignment = {};
  if (options.goal) assignment.goal = options.goal;
  if (options.monitor) assignment.monitors = options.monitor;
  if (options.notifier) assignment.notifiers = options.notifier;
  if (options.budget !== undefined) {
    const usd = Number(options.budget);
    if (!Number.isFinite(usd) || usd <= 0) throw new UserError(`--budget must be a positive amount of US dollars, not "${options.budget}"`);
    assignment.budgetUsd = usd;
  }
  if (options.maxDuration !== undefined) {
    const seconds = Number(options.maxDuration);
    if (!Number.isInteger(seconds) || seconds < 1) throw new UserError(`--max-duration must be a whole number of seconds, not "${options.maxDuration}"`);
    assignment.maxDurationS = seconds;
  }
  return assignment;
}

/** Prints what happened to a foreground or attached terminal and gives the exit status. */
export function reportOutcome(outcome: Awaited<ReturnType<typeof attachTerminal>>, id: string, name: string): number {
  switch (outcome.kind) {
    case 'detached':
      if (outcome.why === 'key') process.stderr.write(`\r\n[detached from ${name} (${id}); reattach with: superkick attach ${id}]\r\n`);
      return 0;
    case 'exited':
      return shellExitCode(outcome.exitCode, outcome.signal);
    case 'error':
      process.stderr.write(`superkick: ${outcome.message}\n`);
      return 1;
  }
}
