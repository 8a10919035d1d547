/**
 * The foreground agent and attach, in real terminals: the exact screen on
 * attach, two viewers typing, detach and reattach, exit codes, terminal
 * queries answered once.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Sandbox } from '../helpers/sandbox';
import { HostWatch } from '../helpers/hostWatch';
import { BASH, cliTerminal } from '../helpers/cli';
import type { TestTerminal } from '../helpers/terminal';

describe('attach', () => {
  const sandbox = new Sandbox();
  const terminals: TestTerminal[] = [];
  let watch: HostWatch;
  const open = (args: string[], options: { cols?: number; rows?: number; answerQueries?: boolean } = {}) => {
    const terminal = cliTerminal(sandbox, args, options);
    terminals.push(terminal);
    return terminal;
  };
  const idOf = async (name: string) => {
    const agent = (await sandbox.list()).find((a) => a.name === name && a.state !== 'exited');
    assert.ok(agent, `agent ${name} is listed`);
    return agent.id;
  };

  before(async () => {
    await sandbox.runOk(['list']);
    watch = await HostWatch.open(sandbox.dir);
  });
  after(async () => {
    for (const terminal of terminals) terminal.kill();
    watch?.close();
    await sandbox.cleanup();
  });

  it('runs a program in this terminal, shares it with a second one, and exits with its code', async () => {
    const first = open(['agent', '--name', 'fg', '--', ...BASH]);
    await first.waitForText('$ ');
    first.type('printf "\\033[31mred\\033[0m plain\\n"; echo $((6*7))\r');
    await first.waitForText(/^42$/m);
    const id = await idOf('fg');

    const second = open(['attach', 'fg']);
    await second.waitForText(/^42$/m);
    // The same screen: text, colours and cursor.
    await watch.until(id, (r) => r.viewers === 2, 'two viewers');
    assert.equal(second.text(), first.text());
    const redRow = second.text().split('\n').findIndex((line) => line.startsWith('red plain'));
    assert.ok(redRow >= 0);
    const cell = second.screen.buffer.active.getLine(redRow)!.getCell(0)!;
    assert.ok(cell.isFgPalette() && cell.getFgColor() === 1, 'the red stays red');
    assert.equal(second.screen.buffer.active.cursorX, first.screen.buffer.active.cursorX);
    assert.equal(second.screen.buffer.active.cursorY, first.screen.buffer.active.cursorY);

    // Both type into the same agent.
    second.type('echo from-second\r');
    await first.waitForText(/^from-second$/m);
    first.type('echo from-first\r');
    await second.waitForText(/^from-first$/m);

    // Detach the second; the agent goes on with one viewer.
    second.type('\x1c');
    assert.equal(await second.waitForExit(), 0);
    assert.match(second.output(), /detached from fg/);
    assert.match(second.output(), new RegExp(`superkick attach ${id}`));
    await watch.until(id, (r) => r.viewers === 1, 'one viewer after detach');

    // Reattach: the same screen again.
    first.type('clear; echo after-clear\r');
    await first.waitForText(/^after-clear$/m);
    const third = open(['attach', id]);
    await third.waitForText(/^after-clear$/m);
    await watch.until(id, (r) => r.viewers === 2, 'reattached');
    assert.equal(third.text(), first.text());
    assert.equal(third.serialize(), first.serialize());

    first.type('exit 3\r');
    assert.equal(await first.waitForExit(), 3);
    assert.equal(await third.waitForExit(), 3);
    const record = await watch.until(id, (r) => r.state === 'exited', 'exited');
    assert.equal(record.exitCode, 3);
  });

  it('shows the final screen and exit code of an exited agent', async () => {
    const id = await sandbox.startAgent(['sh', '-c', 'echo last-words; read x; exit 5']);
    await sandbox.runOk(['inject', id, 'bye']);
    await watch.until(id, (r) => r.state === 'exited', 'exited');
    const late = open(['attach', id]);
    assert.equal(await late.waitForExit(), 5);
    assert.match(late.text(), /last-words/);
    assert.match(late.text(), /has exited with code 5/);
  });

  it('detaches the foreground terminal with the detach key and leaves the agent running', async () => {
    const fg = open(['agent', '--name', 'leaver', '--', ...BASH]);
    await fg.waitForText('$ ');
    const id = await idOf('leaver');
    fg.type('\x1c');
    assert.equal(await fg.waitForExit(), 0);
    assert.match(fg.output(), new RegExp(`reattach with: superkick attach ${id}`));
    const record = await watch.until(id, (r) => r.viewers === 0, 'no viewers');
    assert.equal(record.state, 'working');
    await sandbox.runOk(['stop', id]);
  });

  it('detaches quietly when the terminal hangs up', async () => {
    const fg = open(['agent', '--name', 'hangup', '--', ...BASH]);
    await fg.waitForText('$ ');
    const id = await idOf('hangup');
    process.kill(fg.pty.pid, 'SIGHUP');
    await watch.until(id, (r) => r.viewers === 0, 'the hung-up viewer gone');
    assert.equal((await sandbox.agent(id)).state, 'working');
    await sandbox.runOk(['stop', id]);
  });

  it('resizes the agent to the latest active viewer', async () => {
    const fg = open(['agent', '--name', 'sizes', '--', ...BASH], { cols: 100, rows: 30 });
    await fg.waitForText('$ ');
    fg.type('stty size\r');
    await fg.waitForText(/^30 100$/m);
    const other = open(['attach', 'sizes'], { cols: 60, rows: 20 });
    await other.waitForText('30 100');
    other.type('stty size\r');
    await other.waitForText(/^20 60$/m);
    fg.type('stty size\r');
    await fg.waitForText(/^30 100\n(.*\n)*30 100$/m);
    other.type('exit\r');
    assert.equal(await fg.waitForExit(), 0);
  });

  it('answers XTVERSION from the screen model', async () => {
    const script = [
      'stty -echo raw',
      'printf READY',
      'IFS= read -r -n1 go',
      "printf '\\033[>0q'",
      "IFS= read -r -d '\\' answers",
      'stty sane',
      'printf "answers=[%q]\\n" "$answers"',
      'read -r wait',
    ].join('; ');
    const fg = open(['agent', '--name', 'xtversion', '--', 'bash', '--norc', '-c', script], { answerQueries: true });
    await fg.waitForText('READY');
    fg.type('g');
    await fg.waitForText(/answers=\[.*\]/);
    assert.match(fg.text(), /answers=\[.*P>\|superkick .*xterm\.js/);
    fg.type('\r');
    assert.equal(await fg.waitForExit(), 0);
  });

  it('answers terminal queries once: the viewer terminal\'s own answers are dropped', async () => {
    const script = [
      'stty -echo raw',
      'printf READY',
      'IFS= read -r -n1 go',
      "printf '\\033[c'",
      'IFS= read -r -d c first',
      "printf 'GOT\\r\\n'",
      'IFS= read -r -d Z rest',
      'stty sane',
      'printf "rest=[%q]\\n" "$rest"',
      'read -r wait',
    ].join('; ');
    const fg = open(['agent', '--name', 'queries', '--', 'bash', '--norc', '-c', script], { answerQueries: true });
    await fg.waitForText('READY');
    fg.type('g');
    await fg.waitForText('GOT');
    fg.type('Z');
    await fg.waitForText(/rest=\[.*\]/);
    assert.match(fg.text(), /rest=\[''\]/, 'nothing but the one answer reached the program');
    fg.type('\r');
    assert.equal(await fg.waitForExit(), 0);
  });
});
