/**
 * `superkick completion bash|zsh|fish` prints a completion script generated
 * from this program's own command tree; the hidden `__complete-agents` is what
 * those scripts call back for live agent ids and names.
 */
import { Argument, type Command } from 'commander';
import { Host } from '../../protocol';
import { withTimeout } from '../../common/withTimeout';
import { connectHost } from '../hostClient';
import { bashScript } from '../completion/bash';
import { commandTree } from '../completion/commandTree';
import { fishScript } from '../completion/fish';
import { zshScript } from '../completion/zsh';

const SCRIPTS = { bash: bashScript, zsh: zshScript, fish: fishScript } as const;
type Shell = keyof typeof SCRIPTS;

/** A completion that takes longer than this is worse than none: the shell is waiting on a key press. */
const AGENT_LOOKUP_MS = 1500;

export function registerCompletion(program: Command): void {
  program
    .command('completion')
    .description('print a shell completion script (commands, flags, live agent ids and names)')
    .addArgument(new Argument('<shell>', 'the shell').choices(Object.keys(SCRIPTS)))
    .addHelpText('after', '\nLoad it: source <(superkick completion bash)   (zsh: the same, after compinit; fish: superkick completion fish | source)')
    .action((shell: Shell) => {
      process.stdout.write(SCRIPTS[shell](commandTree(program)));
    });

  program
    .command('__complete-agents', { hidden: true })
    .description('for completion scripts: agent ids and names, tab-separated from a description; silent when no host runs')
    .action(async () => {
      process.stdout.write(await agentWords());
    });
}

/** `ID<tab>NAME · STATE` and `NAME<tab>ID · STATE` lines, names only where unique and a single word. Never starts a host, never fails. */
async function agentWords(): Promise<string> {
  let host: Awaited<ReturnType<typeof connectHost>> | undefined;
  try {
    const connecting = connectHost({ start: false, client: 'completion' });
    host = await withTimeout(connecting, AGENT_LOOKUP_MS, 'the host');
    const connected = host;
    const agents = await withTimeout(connected.connection.sendRequest(Host.ListAgents.type, { includeExited: true }), AGENT_LOOKUP_MS, 'the agent list');
    const nameCount = new Map<string, number>();
    for (const agent of agents) nameCount.set(agent.name, (nameCount.get(agent.name) ?? 0) + 1);
    const lines: string[] = [];
    for (const agent of agents) lines.push(`${agent.id}\t${agent.name} · ${agent.state}`);
    for (const agent of agents) {
      if (nameCount.get(agent.name) === 1 && /^[^\s:]+$/.test(agent.name) && agent.name !== agent.id) lines.push(`${agent.name}\t${agent.id} · ${agent.state}`);
    }
    return lines.length ? `${lines.join('\n')}\n` : '';
  } catch {
    return '';
  } finally {
    host?.close();
  }
}
