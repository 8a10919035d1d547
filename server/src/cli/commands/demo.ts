/**
 * `superkick demo`: one agent supervised end to end, with no AI CLI and no
 * API key. It starts the host, creates a temporary git project with a
 * superkick.yml, and runs the scripted demo agent there. Then a teammate's
 * typo breaks the project's check; the shell monitor notices and its message
 * is typed in when the agent is idle; the agent fixes the file; the monitor
 * sees the check pass and says so; the agent signals its goal through
 * `superkick mcp`; the goal is met and people are told.
 *
 * In a terminal the person watches the agent itself (detach with the detach
 * key); `--headless` prints each step instead and exits 0 once the goal is
 * met, 1 if it is not met within a minute.
 */
import * as fs from 'node:fs';
import type { Command } from 'commander';
import { Host, Notify, type AgentRecord, type AgentSpec } from '../../protocol';
import { UserError } from '../../common/userError';
import { cliEntry } from '../hostClient';
import { attachTerminal } from '../attachClient';
import { DEFAULT_DETACH_KEY, detachSequences } from '../detachKey';
import { breakDemoProject, createDemoProject, DEMO } from '../../demo/demoProject';
import { DEFAULT_HISTORY_LINES } from './agent';
import { startAgentProcess } from '../../agent/startAgentProcess';
import { withHost } from './withHost';
import { requireSideBundle } from '../../common/sideBundle';

declare const SUPERKICK_BUNDLED: boolean | undefined;

const HEADLESS_LIMIT_MS = 60_000;
const NOTIFICATION_WAIT_MS = 5_000;

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('see Superkick supervise an agent end to end (no AI CLI or API key needed)')
    .option('--headless', 'no terminal: print each step, exit 0 once the goal is met (1 if not within a minute)')
    .option('--keep', 'keep the demo project folder afterwards')
    .action(async (options: { headless?: boolean; keep?: boolean }) => {
      const project = createDemoProject();
      let detached = false;
      const step = (text: string) => process.stdout.write(`${options.headless ? '' : '\x1b[1m'}▸ ${text}${options.headless ? '' : '\x1b[0m'}\n`);
      step(`demo project: ${project} (a git repository with ${DEMO.file}, ${DEMO.check} and superkick.yml)`);
      const met = await withHost(
        async (host) => {
          const c = host.connection;
          // The demo wrote this superkick.yml itself, so it may run its check.
          await c.sendRequest(Host.TrustWorkspace.type, { workspace: project });
          const spec: AgentSpec = {
            command: process.execPath,
            args: [cliEntry(), '__demo-agent'],
            cwd: project,
            name: 'demo-agent',
            driver: 'command',
            cols: process.stdout.columns || 100,
            rows: process.stdout.rows || 30,
            history: DEFAULT_HISTORY_LINES,
            record: false,
            workspace: project,
            assignment: { goal: DEMO.goal, monitors: [DEMO.monitor] },
          };
          const created = await c.sendRequest(Host.CreateAgent.type, spec);
          // While a terminal shows the agent, what happens is kept and printed after it (writing into the attached screen would garble it).
          const later: string[] = [];
          const during = options.headless ? step : (text: string) => void later.push(text);
          const progress = followAgent(host.connection, created.id, during, project);
          await c.sendRequest(Host.WatchAgents.type, {});
          // What people are told (VS Code shows the same feed); in a terminal they are printed once the agent is done.
          const told: string[] = [];
          let goalTold: () => void = () => undefined;
          const goalNotified = new Promise<void>((resolve) => (goalTold = resolve));
          c.onNotification(Notify.NotificationShown.type, ({ event, text }) => {
            if (event.agentId !== created.id) return;
            if (event.type === 'goal_met' || event.type === 'goal_failed') goalTold();
            const line = `notification (${event.type}): ${text.split('\n')[0]}`;
            if (options.headless) step(line);
            else told.push(line);
          });
          await c.sendRequest(Notify.WatchNotifications.type, { workspaces: [project] });
          await startAgentProcess(created.id, created.token, created.spec);
          step(`agent ${created.id} started; its goal "${DEMO.goal}" is met when it calls superkick_signal_goal`);
          await c.sendRequest(Host.InjectAgent.type, {
            agent: created.id,
            text: `Keep ${DEMO.check} green in this project. Superkick's shell monitor tells you when its result changes; once your fix makes it pass, call superkick_signal_goal.`,
            submit: true,
            source: 'demo',
          });
          step('kickoff prompt queued; it is typed in when the agent is idle');
          // The notification of the goal follows its decision; the demo ends once people were told.
          const toldOf = (met: boolean) => Promise.race([goalNotified, new Promise((resolve) => setTimeout(resolve, NOTIFICATION_WAIT_MS).unref())]).then(() => met);
          if (options.headless) return progress.goal(HEADLESS_LIMIT_MS).then(toldOf);
          const outcome = await attachTerminal({ socketPath: created.attachSocket, token: created.token, detachKeys: detachSequences(DEFAULT_DETACH_KEY) });
          if (outcome.kind === 'detached') {
            detached = true;
            for (const line of later) step(line);
            step(`detached; the agent goes on: superkick attach ${created.id}`);
            return true;
          }
          const met = await progress.goal(5_000).then(toldOf);
          for (const line of [...later, ...told]) step(line);
          return met;
        },
        { start: true, workspace: null },
      );
      if (met && !options.keep && !detached) fs.rmSync(project, { recursive: true, force: true });
      else step(`the project stays at ${project}`);
      process.exitCode = met ? 0 : 1;
    });

  program
    .command('__demo-agent', { hidden: true })
    .description('internal: the scripted agent of superkick demo')
    .action(async () => {
      const { runDemoAgent } = typeof SUPERKICK_BUNDLED !== 'undefined' ? requireSideBundle<typeof import('../../mcp/sideBundle')>('mcp') : await import('../../mcp/sideBundle');
      await runDemoAgent(cliEntry());
    });
}

/** Prints what happens to the demo agent; breaks the project once the agent has taken its kickoff. */
function followAgent(connection: import('vscode-jsonrpc').MessageConnection, id: string, step: (text: string) => void, project: string) {
  let last: AgentRecord | undefined;
  let idleCount = 0;
  let decided: ((met: boolean) => void) | undefined;
  const result = new Promise<boolean>((resolve) => (decided = resolve));
  connection.onNotification(Host.AgentsChanged.type, ({ record }) => {
    if (record.id !== id) return;
    if (record.state !== last?.state) {
      if (record.state === 'idle') {
        idleCount++;
        if (idleCount === 2) {
          breakDemoProject(project);
          step(`a teammate's typo breaks ${DEMO.file}: ${DEMO.check} now fails`);
        }
      }
      step(`agent is ${record.state}`);
    }
    if (record.goal?.state !== last?.goal?.state && record.goal && record.goal.state !== 'pending') {
      step(`goal ${record.goal.state} (by ${record.goal.decidedBy}): ${record.goal.summary ?? ''}`);
      decided?.(record.goal.state === 'met');
    }
    if (record.state === 'exited' && !(record.goal && record.goal.state !== 'pending')) decided?.(false);
    last = record;
  });
  return {
    goal(limitMs: number): Promise<boolean> {
      const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), limitMs).unref());
      return Promise.race([result, timeout]).then((met) => {
        if (!met) throw new UserError(`the demo's goal was not met within ${limitMs / 1000} s; see superkick logs ${id} and ${project}`, 1);
        return met;
      });
    },
  };
}
