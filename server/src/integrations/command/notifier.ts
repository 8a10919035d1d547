/**
 * The `command` notifier: runs the user's own command with `sh -c` for each
 * event. Event fields never reach the command line: the rendered text (or,
 * with `stdin: json`, the event as JSON) goes to its standard input, and the
 * event's facts go in SUPERKICK_* environment variables, which the shell only
 * expands where the user's command says so ("$SUPERKICK_AGENT_NAME" stays one
 * word, and its contents are never run).
 */
import { runShellCommand } from '../../common/shellCommand';
import type { Notification, NotifierEntry, NotifierFactory, NotifierServices, SendOutcome } from '../../notify/notifier';
import { SENT } from '../../notify/notifier';

export const DEFAULT_NOTIFIER_TIMEOUT_S = 30;
/** Output kept for the log: enough to see what went wrong, bounded against a chatty command. */
const OUTPUT_KEPT_BYTES = 8 * 1024;
/** One environment value must stay below the kernel's limit for a single string (128 KiB). */
const MAX_ENV_VALUE = 32 * 1024;

export const commandNotifierFactory: NotifierFactory = (entry, services) => ({
  send: (notification) => runNotifierCommand(entry, services, notification),
});

/** The environment a notifier command gets: the host's, without agent credentials, plus the event. */
export function notifierEnv(notification: Notification, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  // The host may have been started from inside an agent; a notifier command is not that agent.
  delete env.SUPERKICK_AGENT_TOKEN;
  delete env.SUPERKICK_AGENT_SPEC;
  const { event, agent } = notification;
  const set = (name: string, value: string | null | undefined) => {
    if (value === null || value === undefined) delete env[name];
    else env[name] = value.length > MAX_ENV_VALUE ? value.slice(0, MAX_ENV_VALUE) : value;
  };
  set('SUPERKICK_EVENT_TYPE', event.type);
  set('SUPERKICK_EVENT_ID', event.id);
  set('SUPERKICK_EVENT_SUMMARY', event.summary);
  set('SUPERKICK_EVENT_URL', event.url);
  set('SUPERKICK_EVENT_JSON', JSON.stringify(event));
  set('SUPERKICK_AGENT_ID', agent?.id ?? event.agentId);
  set('SUPERKICK_AGENT_NAME', agent?.name);
  set('SUPERKICK_WORKSPACE', notification.workspace ?? event.workspace);
  set('SUPERKICK_NOTIFIER', notification.notifier);
  set('SUPERKICK_NOTIFICATION_TEXT', notification.text);
  set('SUPERKICK_NOTIFICATION_TEST', notification.test ? '1' : null);
  return env;
}

async function runNotifierCommand(entry: NotifierEntry, services: NotifierServices, notification: Notification): Promise<SendOutcome> {
  const command = typeof entry.command === 'string' ? entry.command : '';
  if (!command.trim()) throw new Error('no command is configured');
  const timeoutS = typeof entry.timeout === 'number' && entry.timeout > 0 ? entry.timeout : DEFAULT_NOTIFIER_TIMEOUT_S;
  const input = entry.stdin === 'json' ? JSON.stringify({ ...notification.event, text: notification.text, agent: notification.agent }) : notification.text;
  const tag = `notify.command#${notification.notifier}`;
  const cwd = services.defaultCwd;

  const run = await runShellCommand(command, { cwd, env: notifierEnv(notification), stdin: input, timeoutMs: timeoutS * 1000, maxOutputBytes: OUTPUT_KEPT_BYTES }).catch((error: Error) => {
    throw new Error(`could not run the command: ${error.message}`);
  });
  const output = run.output.trimEnd();
  if (output) services.log.info(tag, `output: ${run.outputTruncated ? '[…] ' : ''}${output}`);
  if (run.timedOut) throw new Error(`the command timed out after ${timeoutS} s; its process group was killed`);
  if (run.exitCode === 0) return SENT;
  const why = run.signal ? `was killed by ${run.signal}` : `exited with code ${run.exitCode}`;
  const lastLine = run.stderr.trim().split('\n').at(-1);
  throw new Error(`the command ${why}${lastLine ? `: ${lastLine}` : ''}`);
}
