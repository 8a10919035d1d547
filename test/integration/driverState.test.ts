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

/** Moves through idle → working → waiting → idle, one step per submitted line (raw mode, so the test drives it). */
const FAKE_CLAUDE = `#!/usr/bin/env python3
import os, sys, tty
tty.setraw(0)
RULE = '\\u2500' * 50
def show(body, footer):
    sys.stdout.write('\\x1b[2J\\x1b[H' + body + '\\r\\n\\r\\n' + RULE + '\\r\\n\\u276f \\r\\n' + RULE + '\\r\\n' + footer)
    sys.stdout.flush()
steps = [
    ('\\u273d Pondering\\u2026 (1s)', '  esc to interrupt'),
    ('\\u25cf Bash(rm -rf build)\\r\\n Do you want to proceed?\\r\\n \\u276f 1. Yes\\r\\n   2. No', ''),
    ('\\u273b Worked for 2s', '  ? for shortcuts'),
]
show('Welcome to a fake Claude', '  ? for shortcuts')
line = b''
while steps:
    line += os.read(0, 4096)
    if b'\\r' not in line:
        continue
    line = b''
    body, footer = steps.pop(0)
    show(body, footer)
os.read(0, 1)
`;

describe('driver state', () => {
  const sandbox = new Sandbox();
  const bin = path.join(sandbox.work, 'bin');
  const env = { PATH: `${bin}:${process.env.PATH}` };
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

  it('picks the claude driver from the program name and follows its screens', async () => {
    const id = (await sandbox.runOk(['agent', '--headless', '--', 'claude'], { env })).trim();
    const started = await watch.until(id, (r) => r.state === 'idle', 'idle after start-up');
    assert.equal(started.driver, 'claude');
    await sandbox.runOk(['inject', id, 'fix the bug'], { env });
    await watch.until(id, (r) => r.state === 'working', 'working on the prompt');
    await sandbox.runOk(['inject', id, 'go on'], { env });
    await watch.until(id, (r) => r.state === 'waiting', 'a permission prompt');
    await sandbox.runOk(['inject', id, '1'], { env });
    await watch.until(id, (r) => r.state === 'idle', 'idle again');
    const listed = await sandbox.runOk(['list'], { env });
    assert.match(listed, new RegExp(`${id}\\s+claude\\s+claude\\s+idle`));
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
});
