/** The shell monitor's kind on its own: real `sh` runs in a temp folder; what it reports and what each notify_on wants. */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { shellMonitorKind, type ShellState } from '../../server/src/integrations/shell/shellMonitorKind';
import { runCommand } from '../../server/src/integrations/shell/runCommand';
import type { MonitorEntry, MonitorEnv, MonitorResource } from '../../server/src/monitors/monitorKind';
import type { AgentRecord } from '../../server/src/protocol';
import { TemplateEngine } from '../../server/src/templates/engine';
import { deadline } from '../helpers/waitFor';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sk-shell-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const env: MonitorEnv = { log: { error() {}, warn() {}, info() {}, debug() {} }, now: () => new Date(), signal: new AbortController().signal };
const agentIn = (cwd: string) => ({ cwd }) as AgentRecord;
const entry = (config: Record<string, unknown>): MonitorEntry => ({ name: 'check', type: 'shell', config: { type: 'shell', ...config } });

async function resourceFor(config: Record<string, unknown>): Promise<MonitorResource<import('../../server/src/integrations/shell/shellMonitorKind').ShellParams>> {
  const probe = await shellMonitorKind.probe(agentIn(dir), entry(config), env);
  assert.ok(probe.applies);
  return probe.resources[0];
}

/** A process's state letter from /proc (`Z`: killed, waiting to be reaped), or `gone`. */
function processState(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0];
  } catch {
    return 'gone';
  }
}

describe('shell monitor', () => {
  it('applies when the agent folder exists; the resource is the folder and the command', async () => {
    const resource = await resourceFor({ command: 'npm test', timeout: 5, max_output_lines: 3 });
    assert.equal(resource.key, JSON.stringify([dir, 'npm test']));
    assert.deepEqual(resource.params, { cwd: dir, command: 'npm test', timeoutS: 5, maxOutputLines: 3 });
    const missing = await shellMonitorKind.probe(agentIn(path.join(dir, 'gone')), entry({ command: 'true' }), env);
    assert.deepEqual(missing, { applies: false, reason: `the agent's folder ${path.join(dir, 'gone')} does not exist` });
  });

  it('reports each run; notify_on decides which ones an entry wants', async () => {
    const resource = await resourceFor({ command: 'echo checking; test ! -f broken' });
    const wants = (notifyOn: string | undefined, event: Parameters<NonNullable<typeof shellMonitorKind.wants>>[0]) => shellMonitorKind.wants!(event, entry({ command: 'x', notify_on: notifyOn }));

    const first = await shellMonitorKind.poll(resource, null, env);
    assert.equal(first.events[0].template, 'shell_success');
    assert.deepEqual([wants(undefined, first.events[0]), wants('failure', first.events[0]), wants('always', first.events[0])], [false, false, true]);

    fs.writeFileSync(path.join(dir, 'broken'), '');
    const second = await shellMonitorKind.poll(resource, first.state, env);
    const alert = second.events[0];
    assert.equal(alert.id, 'run-2');
    assert.equal(alert.template, 'shell_alert');
    assert.deepEqual(alert.variables.run, { command: 'echo checking; test ! -f broken', cwd: dir, exit_status: 1, timed_out: false, timeout_s: 60, failed: true, changed: true, output: 'checking', output_lines: 1, dropped_lines: 0, number: 2 });
    assert.deepEqual([wants('change', alert), wants('failure', alert)], [true, true]);
    assert.deepEqual(shellMonitorKind.current!(second.state), [alert], 'an agent that starts watching now hears of the failure');

    const third = await shellMonitorKind.poll(resource, second.state, env);
    assert.deepEqual([wants('change', third.events[0]), wants('failure', third.events[0])], [false, true], 'still failing: news only for notify_on failure');
    assert.equal((third.state as ShellState).ongoingAlert?.id, 'run-2', 'the ongoing failure is still the one that started it');

    fs.rmSync(path.join(dir, 'broken'));
    const fourth = await shellMonitorKind.poll(resource, third.state, env);
    assert.equal(fourth.events[0].template, 'shell_success');
    assert.equal(wants('change', fourth.events[0]), true, 'passing again');
    assert.deepEqual(shellMonitorKind.current!(fourth.state), []);
  });

  it('a run that timed out says so, and a silent one says it printed nothing', async () => {
    const resource = await resourceFor({ command: 'sleep 5', timeout: 1 });
    const result = await shellMonitorKind.poll({ ...resource, params: { ...resource.params, timeoutS: 0.2 } }, null, env);
    const event = result.events[0];
    assert.equal(event.template, 'shell_alert');
    assert.equal((event.variables.run as { timed_out: boolean }).timed_out, true);
    const engine = new TemplateEngine({ workspaceRoot: dir, log: env.log });
    const text = engine.render('shell/shell_alert', { ...event.variables, monitor: { name: 'slow', type: 'shell' } }, { strict: true });
    assert.match(text, /ran `sleep 5` in .* and it did not finish within 0\.2 s \(it was stopped\)\./);
    assert.match(text, /It printed nothing\./);
  });

  it('keeps the last lines of output', async () => {
    const run = await runCommand('seq 1 100; echo to-stderr >&2', { cwd: dir, timeoutMs: 10_000, maxLines: 3 });
    assert.deepEqual(run, { exitCode: 0, signal: null, timedOut: false, output: '99\n100\nto-stderr', droppedLines: 98 });
  });

  it('kills the command and what it started when the timeout passes', async () => {
    const pidFile = path.join(dir, 'child.pid');
    const run = await runCommand(`sleep 300 & echo $! > ${pidFile}; echo started; wait`, { cwd: dir, timeoutMs: 300, maxLines: 10 });
    assert.equal(run.timedOut, true);
    assert.equal(run.output, 'started');
    const child = Number(fs.readFileSync(pidFile, 'utf8'));
    // SIGKILL is delivered asynchronously: wait (as Sandbox.killHost does) until it has taken.
    await deadline(
      new Promise<void>((resolve) => {
        const check = () => (['gone', 'Z'].includes(processState(child)) ? resolve() : setImmediate(check));
        check();
      }),
      `the background sleep (pid ${child}) to go with the group`,
    );
  });
});
