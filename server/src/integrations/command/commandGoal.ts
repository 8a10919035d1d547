/** The `command` goal: run the user's command now and then in the agent's folder; exit 0 means met. */
import { runShellCommand } from '../../common/shellCommand';
import type { GoalKind, GoalWatchContext } from '../../goals/goalKind';
import { goalPoll } from '../../goals/goalPoll';

const DEFAULT_POLL_S = 60;
const DEFAULT_TIMEOUT_S = 300;

export const commandGoalKind: GoalKind = {
  watch(context: GoalWatchContext) {
    const command = String(context.entry.command);
    const intervalMs = Number(context.entry.poll_interval ?? DEFAULT_POLL_S) * 1000;
    const timeoutMs = Number(context.entry.timeout ?? DEFAULT_TIMEOUT_S) * 1000;
    const failCodes = Array.isArray(context.entry.fail_on_exit_code) ? (context.entry.fail_on_exit_code as number[]) : [];
    // The first check comes after one interval: the agent has only just started.
    const poll = goalPoll(intervalMs, async () => {
      const result = await runShellCommand(command, { cwd: context.agent.cwd, timeoutMs });
      if (result.exitCode === 0) {
        context.decide('met', `\`${command}\` exited 0`, 'command');
      } else if (result.exitCode !== null && failCodes.includes(result.exitCode)) {
        context.decide('failed', `\`${command}\` exited ${result.exitCode}\n${tail(result.output)}`, 'command');
      } else {
        const why = result.timedOut ? `timed out after ${timeoutMs / 1000}s` : `exited ${result.exitCode ?? `on ${result.signal}`}`;
        context.log.debug('goals', `goal ${context.name} of ${context.agent.id}: \`${command}\` ${why}; not met yet`);
      }
    }, (error) => context.log.warn('goals', `goal ${context.name} of ${context.agent.id}: could not run \`${command}\`: ${error.message}`));
    return { stop: poll.stop };
  },
};

function tail(text: string, lines = 20): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
