/**
 * Driver state from the screen, end to end: a program named `claude` is read
 * with the claude driver, and its states reach `superkick list`. The program
 * is a scripted imitation shaped like Claude Code's screens (REAL-CLIS.md);
 * the real CLIs are tested against a fake model server in the drivers issue.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Sandbox } from '../helpers/sandbox';
import { HostWatch } from '../helpers/hostWatch';
import { TestViewer } from '../helpers/testViewer';
import { Host } from '../../server/src/protocol';
import { whenEvent } from '../helpers/waitFor';

/**
 * Moves one step per submitted line (raw mode, so the test drives it), and
 * shows each line it got: working → waiting (a permission prompt) → idle →
 * working → idle.
 */
const FAKE_CLAUDE = `#!/usr/bin/env python3
import os, sys, tty
tty.setraw(0)
RULE = '\\u2500' * 50
def show(body, footer, got=''):
    sys.stdout.write('\\x1b[2J\\x1b[H' + body + '\\r\\ngot: ' + got + '\\r\\n' + RULE + '\\r\\n\\u276f \\r\\n' + RULE + '\\r\\n' + footer)
    sys.stdout.flush()
    sys.stderr.flush()
WORKING = ('\\u273d Pondering\\u2026 (1s)', '  esc to interrupt')
WAITING = ('\\u25cf Bash(rm -rf build)\\r\\n Do you want to proceed?\\r\\n \\u276f 1. Yes\\r\\n   2. No', '')
IDLE = ('\\u273b Worked for 2s', '  ? for shortcuts')
steps = [WORKING, WAITING, IDLE, WORKING, IDLE]
show('Welcome to a fake Claude', '  ? for shortcuts')
line = b''
while steps:
    line += os.read(0, 4096)
    if b'\\r' not in line:
        sys.stdout.write('\\x1b7\\x1b[4;1H\\u276f ' + line.decode(errors='replace') + '\\x1b8')  # echo the draft in the input box
        sys.stdout.flush()
        continue
    got = line.decode(errors='replace').replace('\\r', '').replace('\\x1b', 'ESC')
    line = b''
    with open(os.environ['FAKE_LOG'], 'a') as log:
        log.write(got + '\\n')
    body, footer = steps.pop(0)
    show(body, footer, got)
os.read(0, 1)
`;

describe('driver state', () => {
  const sandbox = new Sandbox();
  const bin = path.join(sandbox.work, 'bin');
  const received = path.join(sandbox.work, 'received.txt');
  const env = { PATH: `${bin}:${process.env.PATH}`, FAKE_LOG: received };
  const lines = () => (fs.existsSync(received) ? fs.readFileSync(received, 'utf8').split('\n').filter(Boolean) : []);
  /** The lines the program got, once it has got `count` of them (the agent reads as working from Enter on, before the program has the line). */
  const linesWhen = (count: number) => {
    const watcher = fs.watch(sandbox.work);
    return whenEvent(
      (listener) => {
        watcher.on('change', listener);
        return () => watcher.close();
      },
      () => (lines().length >= count ? lines() : undefined),
      `the program to have got ${count} line(s) (it has ${JSON.stringify(lines())})`,
    ).finally(() => watcher.close());
  };
  let watch: HostWatch;
  before(async () => {
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'claude'), FAKE_CLAUDE, { mode: 0o755 });
    await sandbox.runOk(['list']);
    watch = await HostWatch.open(sandbox.dir);
  });
  after(async () => {
    watch?.close();
    await sandbox.cleanup();
  });

  it('picks the claude driver, follows its screens, and types queued text only when it is idle', async () => {
    const id = (await sandbox.runOk(['agent', '--headless', '--no-mcp', '--', 'claude'], { env })).trim();
    const started = await watch.until(id, (r) => r.state === 'idle', 'idle after start-up');
    assert.equal(started.driver, 'claude');

    // Idle: a queued message goes in at once.
    const first = JSON.parse(await sandbox.runOk(['inject', id, '--json', 'fix the bug'], { env }));
    assert.equal(first.queued, true);
    await watch.until(id, (r) => r.state === 'working', 'working on the prompt');
    assert.deepEqual(await linesWhen(1), ['fix the bug']);

    // Working: it waits in the queue.
    const second = JSON.parse(await sandbox.runOk(['inject', id, '--json', 'queued while busy'], { env }));
    assert.equal(second.position, 1);
    // A person answers; the permission prompt comes up. Still nothing from the queue.
    await sandbox.runOk(['inject', id, '--now', 'go on'], { env });
    await watch.until(id, (r) => r.state === 'waiting', 'a permission prompt');
    await linesWhen(2);
    const queued = JSON.parse(await sandbox.runOk(['queue', id, '--json'], { env }));
    assert.deepEqual(queued.map((m: { text: string }) => m.text), ['queued while busy']);
    assert.deepEqual(lines(), ['fix the bug', 'go on'], 'nothing was typed into the prompt');

    // The person approves; once idle, the queue delivers.
    await sandbox.runOk(['inject', id, '--now', '1'], { env });
    assert.deepEqual(await linesWhen(4), ['fix the bug', 'go on', '1', 'queued while busy']);
    await watch.until(id, (r) => r.state === 'working', 'working on the queued message');
    await sandbox.runOk(['inject', id, '--now', 'done'], { env });
    await watch.until(id, (r) => r.state === 'idle', 'idle again');
    assert.deepEqual(JSON.parse(await sandbox.runOk(['queue', id, '--json'], { env })), []);
    const listed = await sandbox.runOk(['list'], { env });
    assert.match(listed, new RegExp(`${id}\\s+claude\\s+claude\\s+idle`));
    await sandbox.runOk(['stop', id, '--force']);
  });

  it('keeps queued messages through a host kill -9 and delivers them once', async () => {
    fs.rmSync(received, { force: true });
    const id = (await sandbox.runOk(['agent', '--headless', '--no-mcp', '--', 'claude'], { env })).trim();
    await watch.until(id, (r) => r.state === 'idle', 'idle after start-up');
    await sandbox.runOk(['inject', id, 'start'], { env });
    await watch.until(id, (r) => r.state === 'working', 'working');
    await sandbox.runOk(['inject', id, '--dedupe', 'ci', 'CI failed (old)'], { env });
    await sandbox.runOk(['inject', id, '--dedupe', 'ci', 'CI failed (new)'], { env });
    await sandbox.runOk(['inject', id, '--priority', '5', 'urgent first'], { env });

    watch.close();
    process.kill(sandbox.hostPid()!, 'SIGKILL');
    await sandbox.runOk(['list'], { env }); // a new host
    watch = await HostWatch.open(sandbox.dir);
    await watch.until(id, (r) => r.connected, 'the agent back');
    const queued = JSON.parse(await sandbox.runOk(['queue', id, '--json'], { env }));
    assert.deepEqual(queued.map((m: { text: string }) => m.text), ['urgent first', 'CI failed (new)'], 'priority order, and the repeated event once');

    await sandbox.runOk(['inject', id, '--now', 'go on'], { env });
    await watch.until(id, (r) => r.state === 'waiting', 'a permission prompt');
    await sandbox.runOk(['inject', id, '--now', '1'], { env });
    assert.deepEqual(await linesWhen(4), ['start', 'go on', '1', 'urgent first CI failed (new)'], 'one submission, newlines folded for a program without bracketed paste');
    assert.deepEqual(JSON.parse(await sandbox.runOk(['queue', id, '--json'], { env })), []);
    await sandbox.runOk(['stop', id, '--force']);
  });

  it('lets a person finish their draft before queued text goes in', async () => {
    fs.rmSync(received, { force: true });
    const id = (await sandbox.runOk(['agent', '--headless', '--no-mcp', '--', 'claude'], { env })).trim();
    await watch.until(id, (r) => r.state === 'idle', 'idle after start-up');
    const resolved = await watch.connection.sendRequest(Host.ResolveAgent.type, { agent: id });
    const person = await TestViewer.connect(resolved.record.attachSocket!, resolved.attachToken!);
    await person.until(() => (person.snapshots().length ? true : undefined), 'the attach snapshot');
    person.type('my own words');
    await person.untilOutput('my own words'); // echoed: the agent has seen the person's keys
    // Due at once (the agent is idle), but a draft is open: the queue must wait for the person.
    const queued = JSON.parse(await sandbox.runOk(['inject', id, '--json', 'queued note'], { env }));
    assert.equal(queued.queued, true);
    person.type('\r');
    await watch.until(id, (r) => r.state === 'working', 'working on what the person sent');
    assert.deepEqual(await linesWhen(1), ['my own words'], 'the person\'s text went in whole, with nothing typed over it');
    await sandbox.runOk(['inject', id, '--now', 'go on'], { env });
    await watch.until(id, (r) => r.state === 'waiting', 'a permission prompt');
    await sandbox.runOk(['inject', id, '--now', '1'], { env });
    assert.deepEqual(await linesWhen(4), ['my own words', 'go on', '1', 'queued note']);
    person.close();
    await sandbox.runOk(['stop', id, '--force']);
  });

  it('refuses an unknown driver, naming the known ones', async () => {
    const result = await sandbox.run(['agent', '--headless', '--driver', 'claud', '--', 'sleep', '1']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /unknown driver "claud"; drivers: claude, codex, copilot, gemini, goose, command/);
  });

  it('keeps a plain command working while it runs', async () => {
    const id = await sandbox.startAgent(['sleep', '600']);
    assert.equal((await sandbox.agent(id)).driver, 'command');
    assert.equal((await sandbox.agent(id)).state, 'working');
    await sandbox.runOk(['stop', id, '--force']);
  });

  it("applies the workspace's drivers: entry when the agent starts", async () => {
    // A folder of its own with a superkick.yml that teaches the command driver a prompt.
    const project = path.join(sandbox.work, 'prompted');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'superkick.yml'), 'drivers:\n  command:\n    states:\n      idle: ["^ready> $"]\n    idle_settle_ms: 50\n');
    const script = path.join(project, 'prompt.sh');
    fs.writeFileSync(script, 'printf "ready> "; read line; echo "got $line"; sleep 600\n', { mode: 0o755 });
    const id = await sandbox.startAgent(['sh', script], ['--cwd', project]);
    await watch.until(id, (record) => record.state === 'idle', 'the prompted program to read as idle');
    await sandbox.runOk(['stop', id, '--force']);
  });
});
