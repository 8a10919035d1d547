/** `superkick`: the command line. The same bundle is also the host daemon and the agent process. */
import { Command, CommanderError } from 'commander';
import { VERSION } from '../common/version';
import { UserError } from '../common/userError';
import { registerServer } from './commands/server';
import { registerAgent } from './commands/agent';
import { registerAgentCommands } from './commands/agents';
import { registerDoctor } from './commands/doctor';
import { registerConfig } from './commands/config';
import { registerTrust, registerWorkspace } from './commands/workspace';
import { registerSetup } from './commands/setup';
import { registerCompletion } from './commands/completion';
import { registerMonitor } from './commands/monitor';

const program = new Command('superkick')
  .description('Supervise AI coding agents that run in terminals.')
  .version(VERSION)
  .showSuggestionAfterError(true)
  .exitOverride();

registerServer(program);
registerAgent(program);
registerAgentCommands(program);
registerDoctor(program);
registerConfig(program);
registerWorkspace(program);
registerTrust(program);
registerSetup(program);
registerMonitor(program);
// Last: its script is generated from every command registered before it.
registerCompletion(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode;
    return;
  }
  if (error instanceof UserError) {
    process.stderr.write(`superkick: ${error.message}\n`);
    process.exitCode = error.exitCode;
    return;
  }
  process.stderr.write(`superkick: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exitCode = 1;
});
