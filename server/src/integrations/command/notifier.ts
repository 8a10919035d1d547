/**
 * The `command` notifier: runs the user's own command with `sh -c` for each
 * event. Event fields never reach the command line: the rendered text (or,
 * with `stdin: json`, the event as JSON) goes to its standard input, and the
 * event's facts go in SUPERKICK_* environment variables, which the shell only
 * expands where the user's command says so ("$SUPERKICK_AGENT_NAME" stays one
 * word, and its contents are never run).
 */
import { spawn } from 'node:child_process';
import type { Notification, NotifierEntry, NotifierFactory, NotifierServices, SendOutcome } from '../../notify/notifier';
import { SENT } from '../../notify/notifier';

export const DEFAULT_NOTIFIER_TIMEOUT_S = 30;
/** After the polite SIGTERM to its process group, a command that is still there gets SIGKILL. */
const KILL_GRACE_MS = 2_000;
/** Output kept for the log, per stream: enough for an error message, bounded against a chatty command. */
const OUTPUT_KEPT_BYTES = 8 * 1024;
/** One environment value must stay below the kernel's limit for a single string (128 KiB). */
const MAX_ENV_VALUE = 32 * 1024;
/** Once the shell has exited, how long a background child may keep its output open before we stop reading. */
const PIPE_GRACE_MS = 1_000;

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

function runNotifierCommand(entry: NotifierEntry, services: NotifierServices, notification: Notification): Promise<SendOutcome> {
  const command = typeof entry.command === 'string' ? entry.command : '';
  if (!command.trim()) return Promise.reject(new Error('no command is configured'));
  const timeoutS = typeof entry.timeout === 'number' && entry.timeout > 0 ? entry.timeout : DEFAULT_NOTIFIER_TIMEOUT_S;
  const input = entry.stdin === 'json' ? JSON.stringify({ ...notification.event, text: notification.text, agent: notification.agent }) : notification.text;
  const tag = `notify.command#${notification.notifier}`;
  const cwd = services.defaultCwd;

  return new Promise((resolve, reject) => {
    // Its own process group, so a timeout ends whatever it started too.
    const child = spawn('/bin/sh', ['-c', command], { cwd, env: notifierEnv(notification), detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout = new BoundedText();
    const stderr = new BoundedText();
    child.stdout.on('data', (chunk: Buffer) => stdout.add(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.add(chunk));
    // A command that does not read its input closes the pipe early: that is its business.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);

    let timedOut = false;
    let killTimer: NodeJS.Timeout | undefined;
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, signal);
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup('SIGTERM');
      killTimer = setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS);
    }, timeoutS * 1000);

    let finished = false;
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      clearTimeout(killTimer);
      child.stdout.destroy();
      child.stderr.destroy();
      if (stdout.text) services.log.info(tag, `stdout: ${stdout.text}`);
      if (stderr.text) services.log.info(tag, `stderr: ${stderr.text}`);
      if (timedOut) {
        reject(new Error(`the command timed out after ${timeoutS} s; its process group was killed`));
      } else if (code === 0) {
        resolve(SENT);
      } else {
        const why = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        const lastLine = stderr.text.trim().split('\n').at(-1);
        reject(new Error(`the command ${why}${lastLine ? `: ${lastLine}` : ''}`));
      }
    };
    child.on('error', (error) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      reject(new Error(`could not run the command: ${error.message}`));
    });
    child.on('close', finish);
    child.on('exit', (code, signal) => {
      // Normally 'close' follows at once; a background child holding the pipes open must not hold us.
      setTimeout(() => finish(code, signal), PIPE_GRACE_MS).unref();
    });
  });
}

class BoundedText {
  private readonly chunks: Buffer[] = [];
  private bytes = 0;
  private dropped = false;

  add(chunk: Buffer): void {
    if (this.bytes >= OUTPUT_KEPT_BYTES) {
      this.dropped = true;
      return;
    }
    const room = OUTPUT_KEPT_BYTES - this.bytes;
    this.chunks.push(chunk.subarray(0, room));
    this.bytes += Math.min(room, chunk.length);
    if (chunk.length > room) this.dropped = true;
  }

  get text(): string {
    const text = Buffer.concat(this.chunks).toString('utf8').trimEnd();
    return this.dropped ? `${text} [… more output not kept]` : text;
  }
}
