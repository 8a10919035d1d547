/** `superkick notifier list|test`: the configured notifiers, how their sending has gone, and a test event through one. */
import type { Command } from 'commander';
import { Option } from 'commander';
import { Notify, SUPERVISION_EVENT_TYPES, type SupervisionEventType } from '../../protocol';
import { age, table } from '../format';
import { workspaceOption } from './config';
import { printJson, withHost } from './withHost';

export function registerNotifier(program: Command): void {
  const notifier = program.command('notifier').description('the notifiers that tell people what agents do (notifiers: in superkick.yml)');

  notifier
    .command('list')
    .alias('ls')
    .description('every configured notifier, per workspace, with its last send and last error')
    .option('-w, --workspace <dir>', 'only this workspace (default: every workspace the host follows, and your config.yml)')
    .option('--json', 'machine-readable output')
    .action(async (options: { workspace?: string; json?: boolean }) => {
      const workspace = workspaceOption(options.workspace);
      const notifiers = await withHost((host) => host.connection.sendRequest(Notify.ListNotifiers.type, workspace === undefined ? {} : { workspace }));
      if (options.json) {
        printJson(notifiers);
        return;
      }
      if (!notifiers.length) {
        console.log('no notifiers are configured; add one under notifiers: in superkick.yml (superkick setup writes an example)');
        return;
      }
      const allTypes = SUPERVISION_EVENT_TYPES.length;
      console.log(
        table(
          ['WORKSPACE', 'NAME', 'TYPE', 'EVENTS', 'SENT', 'LAST SENT', 'LAST ERROR'],
          notifiers.map((n) => [
            n.workspace ?? '(config.yml)',
            n.enabled ? n.name : `${n.name} (disabled)`,
            n.type,
            n.events.length === allTypes ? 'all' : n.events.join(','),
            String(n.sent),
            n.lastSentAt ? `${age(n.lastSentAt)} ago` : '-',
            n.lastError ? `${age(n.lastErrorAt!)} ago: ${n.lastError.split('\n')[0]}` : '-',
          ]),
        ),
      );
    });

  notifier
    .command('test')
    .description('send a test event through one notifier now (whatever its events: list says, and even if it was told before)')
    .argument('<name>', 'the entry under notifiers:')
    .addOption(new Option('--event <type>', 'the event type to send').choices([...SUPERVISION_EVENT_TYPES]).default('agent_waiting'))
    .option('--agent <agent>', 'make it about this agent (a terminal_bell rings on its attached terminals)')
    .option('-w, --workspace <dir>', 'the workspace (default: the one this directory is in)')
    .option('--json', 'machine-readable output')
    .action(async (name: string, options: { event: SupervisionEventType; agent?: string; workspace?: string; json?: boolean }) => {
      const workspace = workspaceOption(options.workspace);
      const result = await withHost((host) =>
        host.connection.sendRequest(Notify.TestNotifier.type, { name, eventType: options.event, agent: options.agent, ...(workspace === undefined ? {} : { workspace }) }),
      );
      if (options.json) printJson(result);
      else if (result.outcome === 'sent') console.log(`sent ${result.event.type} to ${name}:\n${result.text.trimEnd()}`);
      else if (result.outcome === 'skipped') console.log(`${name} did not send it: ${result.detail}`);
      else process.stderr.write(`superkick: notifier ${name} failed: ${result.detail}\n`);
      if (result.outcome === 'failed') process.exitCode = 1;
    });
}
