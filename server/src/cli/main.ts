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
import { registerGoal } from './commands/goal';
import { registerDemo } from './commands/demo';
import { registerMcp } from './commands/mcp';
import { registerQuestions } from './commands/questions';
import { registerNotifier } from './commands/notifier';
import { registerCost } from './commands/cost';
import { registerBudget } from './commands/budget';
import { registerMonitor } from './commands/monitor';
import { registerSpawn } from './commands/spawn';
import { registerWorktrees } from './commands/worktrees';

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
registerGoal(program);
registerDemo(program);
registerMcp(program);
registerQuestions(program);
registerNotifier(program);
registerCost(program);
registerBudget(program);
registerMonitor(program);
registerSpawn(program);
registerWorktrees(program);
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
