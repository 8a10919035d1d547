/**
 * `superkick completion`: the scripts the real CLI prints, and bash completing
 * live agent ids and names from a real host, calling the real CLI back.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLI, Sandbox } from '../helpers/sandbox';
import { bashComplete, writeScript } from '../helpers/bashCompletion';

describe('completion', () => {
  const sandbox = new Sandbox();
  /** A `superkick` on PATH, as an installed one would be: the script calls it back by the name it was typed as. */
  const bin = path.join(sandbox.work, 'bin');
  let script = '';
  const env = () => ({ ...sandbox.env, PATH: `${bin}:${process.env.PATH}` });

  before(async () => {
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'superkick'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`, { mode: 0o755 });
    script = writeScript(await sandbox.runOk(['completion', 'bash']));
  });
  after(async () => {
    fs.rmSync(path.dirname(script), { recursive: true, force: true });
    await sandbox.cleanup();
  });

  it('prints a script for bash, zsh and fish covering every command, and refuses other shells', async () => {
    const help = await sandbox.runOk(['--help']);
    const commands = [...help.matchAll(/^ {2}([a-z][\w-]*)/gm)].map((m) => m[1]);
    assert.ok(commands.includes('completion') && commands.includes('attach'), help);
    for (const shell of ['bash', 'zsh', 'fish']) {
      const text = await sandbox.runOk(['completion', shell]);
      for (const command of commands) assert.ok(text.includes(`'|${command}'`), `${shell} script lacks ${command}`);
      assert.ok(!text.includes('__complete-agents\''), 'the hidden helper is not offered as a command');
    }
    const wrong = await sandbox.run(['completion', 'tcsh']);
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.stderr, /Allowed choices are bash, zsh, fish/);
  });

  it('with no host running, offers no agents, starts no host, and says nothing', async () => {
    assert.deepEqual(await bashComplete(script, ['superkick', 'attach', ''], env()), []);
    const direct = await sandbox.run(['__complete-agents']);
    assert.deepEqual(direct, { code: 0, stdout: '', stderr: '' });
    assert.equal(fs.existsSync(path.join(sandbox.dir, 'run', 'host.sock')), false);
    assert.deepEqual(await bashComplete(script, ['superkick', 'l'], env()), ['list', 'logs', 'ls']);
  });

  it('completes live agent ids and names from the running host', async () => {
    const id = await sandbox.startAgent(['sleep', '600'], ['--name', 'napper']);
    assert.deepEqual(await bashComplete(script, ['superkick', 'attach', ''], env()), [id, 'napper'].sort());
    assert.deepEqual(await bashComplete(script, ['superkick', 'logs', '--tail', '5', 'nap'], env()), ['napper']);
    assert.deepEqual(await bashComplete(script, ['superkick', 'inject', '--priority', '=', '2', id.slice(0, 3)], env()), [id]);
    assert.deepEqual(await bashComplete(script, ['superkick', 'inject', id, ''], env()), [], 'the text after the agent is not an agent');
    const lines = (await sandbox.runOk(['__complete-agents'])).trim().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0], new RegExp(`^${id}\tnapper · (starting|working|idle|waiting)$`));
    assert.match(lines[1], new RegExp(`^napper\t${id} · (starting|working|idle|waiting)$`));
  });
});
