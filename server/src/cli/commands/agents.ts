/** Commands that act on existing agents: list, attach, inject, stop, logs, record, prune. */
import * as path from 'node:path';
import type { Command } from 'commander';
import { Host } from '../../protocol';
import { UserError } from '../../common/userError';
import { attachTerminal } from '../attachClient';
import { DEFAULT_DETACH_KEY, detachSequences } from '../detachKey';
import { age, agentsTable, plainText, shellExitCode, table } from '../format';
import { reportOutcome } from './agent';
import { printJson, withHost } from './withHost';

interface InjectOptions {
  now?: boolean;
  submit: boolean;
  priority?: string;
  dedupe?: string;
  expires?: string;
  external?: string;
  author?: string;
  url?: string;
  json?: boolean;
}

function wholeNumber(value: string, option: string): number {
  const number = Number(value);
  if (!Number.isInteger(number)) throw new UserError(`${option} must be a whole number, not "${value}"`);
  return number;
}

function oneLine(text: string, width = 60): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > width ? `${line.slice(0, width - 1)}…` : line;
}

export function registerAgentCommands(program: Command): void {
  program
    .command('list')
    .alias('ls')
    .description('list agents')
    .option('--running', 'only agents that have not exited')
    .option('--json', 'machine-readable output')
    .action(async (options: { running?: boolean; json?: boolean }) => {
      const agents = await withHost((host) => host.connection.sendRequest(Host.ListAgents.type, { includeExited: !options.running }));
      if (options.json) printJson(agents);
      else if (agents.length === 0) console.log('no agents; start one with: superkick agent -- <command>');
      else console.log(agentsTable(agents));
    });

  program
    .command('attach')
    .description('show an agent in this terminal and type into it; the detach key leaves it running')
    .argument('<agent>', 'id or name')
    .option('--read-only', 'watch without typing or resizing')
    .option('--detach-key <key>', 'key that detaches', DEFAULT_DETACH_KEY)
    .action(async (agent: string, options: { readOnly?: boolean; detachKey: string }) => {
      const detachKeys = detachSequences(options.detachKey);
      const resolved = await withHost((host) => host.connection.sendRequest(Host.ResolveAgent.type, { agent }));
      const { record } = resolved;
      if (record.state === 'exited' || !resolved.attachToken || !record.attachSocket) {
        if (resolved.finalScreen) process.stdout.write(`${resolved.finalScreen}\x1b[0m\r\n`);
        process.stderr.write(`[${record.name} (${record.id}) has exited with ${record.signal ? `signal ${record.signal}` : `code ${record.exitCode ?? 'unknown'}`}]\n`);
        process.exitCode = shellExitCode(record.exitCode, record.signal);
        return;
      }
      const outcome = await attachTerminal({ socketPath: record.attachSocket, token: resolved.attachToken, detachKeys, readOnly: options.readOnly });
      process.exitCode = reportOutcome(outcome, record.id, record.name);
    });

  program
    .command('inject')
    .description('give an agent text: queued, and typed in (then Enter) when the agent is idle')
    .argument('<agent>', 'id or name')
    .argument('<text...>', 'the text')
    .option('--now', 'type it at once, whatever the agent is doing')
    .option('--no-submit', 'type the text without pressing Enter')
    .option('--priority <n>', 'higher goes first (default 0)')
    .option('--dedupe <key>', 'replace a queued message with the same key')
    .option('--expires <seconds>', 'drop it if not delivered by then')
    .option('--external <source>', 'the text comes from outside (an issue, a log, a message): sanitize it and frame it as such')
    .option('--author <author>', 'with --external: who wrote it')
    .option('--url <url>', 'with --external: where it is')
    .option('--json', 'machine-readable output')
    .action(async (agent: string, words: string[], options: InjectOptions) => {
      if ((options.author || options.url) && !options.external) throw new UserError('--author and --url describe outside content: use them with --external SOURCE');
      const external = options.external ? { source: options.external, author: options.author, url: options.url } : undefined;
      const params = {
        agent,
        text: words.join(' '),
        submit: options.submit,
        external,
        now: Boolean(options.now),
        priority: options.priority === undefined ? undefined : wholeNumber(options.priority, '--priority'),
        dedupeKey: options.dedupe,
        expiresInMs: options.expires === undefined ? undefined : wholeNumber(options.expires, '--expires') * 1000,
      };
      const result = await withHost((host) => host.connection.sendRequest(Host.InjectAgent.type, params));
      if (options.json) printJson(result);
      else if (result.queued) console.log(`queued for ${result.id} (position ${result.position}); it is typed in when the agent is idle`);
    });

  program
    .command('queue')
    .description("an agent's undelivered messages, in delivery order")
    .argument('<agent>', 'id or name')
    .option('--json', 'machine-readable output')
    .action(async (agent: string, options: { json?: boolean }) => {
      const messages = await withHost((host) => host.connection.sendRequest(Host.ListQueue.type, { agent }));
      if (options.json) printJson(messages);
      else if (!messages.length) console.log('nothing queued');
      else console.log(table(['ID', 'PRIORITY', 'SOURCE', 'AGE', 'TEXT'], messages.map((m) => [m.id, String(m.priority), m.source, age(m.createdAt), oneLine(m.text)])));
    });

  program
    .command('stop')
    .description('end an agent (SIGHUP, then SIGKILL if it does not go)')
    .argument('<agent>', 'id or name')
    .option('--force', 'SIGKILL at once')
    .option('--json', 'machine-readable output')
    .action(async (agent: string, options: { force?: boolean; json?: boolean }) => {
      const record = await withHost((host) => host.connection.sendRequest(Host.StopAgent.type, { agent, force: options.force }));
      if (options.json) printJson(record);
      else console.log(`stopped ${record.name} (${record.id}); exit ${record.signal ? `signal ${record.signal}` : `code ${record.exitCode ?? 'unknown'}`}`);
    });

  program
    .command('logs')
    .description("print an agent's output log (bounded; older parts are compressed)")
    .argument('<agent>', 'id or name')
    .option('--plain', 'strip escape sequences')
    .option('--tail <lines>', 'only the last N lines')
    .action(async (agent: string, options: { plain?: boolean; tail?: string }) => {
      const result = await withHost((host) => host.connection.sendRequest(Host.AgentLog.type, { agent }));
      let text = Buffer.from(result.base64, 'base64').toString('utf8');
      if (options.plain) text = plainText(text);
      if (options.tail !== undefined) {
        const lines = Number(options.tail);
        if (!Number.isInteger(lines) || lines < 0) throw new UserError(`--tail must be a whole number, not "${options.tail}"`);
        text = text.split('\n').slice(-lines - 1).join('\n');
      }
      process.stdout.write(text);
    });

  program
    .command('record')
    .description('record a running agent as an asciicast v2 file (asciinema play can show it)')
    .argument('<agent>', 'id or name')
    .option('-o, --output <file>', 'where to write it (default: recordings/ under SUPERKICK_DIR)')
    .option('--stop', 'stop recording')
    .option('--json', 'machine-readable output')
    .action(async (agent: string, options: { output?: string; stop?: boolean; json?: boolean }) => {
      const file = options.output ? path.resolve(options.output) : undefined;
      const result = await withHost((host) => host.connection.sendRequest(Host.RecordAgent.type, { agent, stop: options.stop, path: file }));
      if (options.json) printJson(result);
      else if (options.stop) console.log(result.path ? `stopped recording; saved ${result.path}` : 'it was not being recorded');
      else console.log(`recording ${result.id} to ${result.path}; stop with: superkick record ${result.id} --stop`);
    });

  program
    .command('prune')
    .description('forget exited agents (all, or one)')
    .argument('[agent]', 'id')
    .option('--json', 'machine-readable output')
    .action(async (agent: string | undefined, options: { json?: boolean }) => {
      const result = await withHost((host) => host.connection.sendRequest(Host.PruneAgents.type, { agent }));
      if (options.json) printJson(result);
      else console.log(result.removed.length ? `forgot ${result.removed.join(', ')}` : 'nothing to prune');
    });
}
