import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Argument, Command, Option } from 'commander';
import { commandTree } from '../../server/src/cli/completion/commandTree';
import { bashScript } from '../../server/src/cli/completion/bash';
import { zshScript } from '../../server/src/cli/completion/zsh';
import { fishScript } from '../../server/src/cli/completion/fish';
import { bashComplete, writeScript } from '../helpers/bashCompletion';

/** A program with shapes the real one may grow into: nested groups, choices, an agent-valued option, a variadic program. */
function program(): Command {
  const root = new Command('superkick').version('1.0.0');
  root.command('list').alias('ls').description('list agents').option('--json', 'machine-readable');
  root.command('attach').argument('<agent>', 'id or name').option('--detach-key <key>', 'key');
  root.command('agent').argument('<command...>', 'program').option('--name <name>', 'name');
  const config = root.command('config').description('the configuration');
  config.command('check').description("check it (don't guess)").option('--json', 'machine-readable');
  const show = config.command('show').description('show it');
  show.addOption(new Option('--format <format>', 'how').choices(['yaml', 'json']));
  show.option('--agent <agent>', 'as one agent sees it');
  root.command('secret', { hidden: true });
  root.command('shell').addArgument(new Argument('<shell>').choices(['bash', 'zsh']));
  return root;
}

const file = writeScript(bashScript(commandTree(program())));
after(() => fs.rmSync(path.dirname(file), { recursive: true, force: true }));
const complete = (...words: string[]) => bashComplete(file, words, { ...process.env, STUB_AGENTS: 'a1b2 fixer' });

describe('completion scripts from the command tree', () => {
  it('the tree has every visible command, alias, flag and argument kind, and no hidden command', () => {
    const tree = commandTree(program());
    assert.deepEqual(tree.subcommands.map((c) => c.names.join('/')), ['list/ls', 'attach', 'agent', 'config', 'shell', 'help']);
    const config = tree.subcommands.find((c) => c.names[0] === 'config')!;
    assert.deepEqual(config.subcommands.map((c) => c.path.join(' ')), ['config check', 'config show', 'config help']);
    const show = config.subcommands[1];
    assert.deepEqual(show.flags.map((f) => [f.names.join(','), f.value?.kind ?? null]), [['--format', 'choices'], ['--agent', 'agent'], ['-h,--help', null]]);
    assert.deepEqual(tree.subcommands[2].args, [{ kind: 'program' }]);
    assert.equal(tree.subcommands[2].variadic, true);
  });

  it('bash: subcommands, aliases and root flags', async () => {
    assert.deepEqual(await complete('superkick', ''), ['agent', 'attach', 'config', 'help', 'list', 'ls', 'shell']);
    assert.deepEqual(await complete('superkick', 'l'), ['list', 'ls']);
    assert.deepEqual(await complete('superkick', '--'), ['--help', '--version']);
    assert.deepEqual(await complete('superkick', 'ls', '--'), ['--help', '--json']);
  });

  it('bash: nested groups, choices of options and arguments, agent-valued options', async () => {
    assert.deepEqual(await complete('superkick', 'config', ''), ['check', 'help', 'show']);
    assert.deepEqual(await complete('superkick', 'config', 'show', '--format', ''), ['json', 'yaml']);
    assert.deepEqual(await complete('superkick', 'config', 'show', '--format', '=', 'y'), ['yaml']);
    assert.deepEqual(await complete('superkick', 'config', 'show', '--agent', ''), ['a1b2', 'fixer']);
    assert.deepEqual(await complete('superkick', 'config', 'check', '-'), ['--help', '--json', '-h']);
    assert.deepEqual(await complete('superkick', 'shell', ''), ['bash', 'zsh']);
    assert.deepEqual(await complete('superkick', 'help', 'a'), ['agent', 'attach']);
  });

  it('bash: agent arguments, skipping option values, and nothing (file completion) where nothing is known', async () => {
    assert.deepEqual(await complete('superkick', 'attach', ''), ['a1b2', 'fixer']);
    assert.deepEqual(await complete('superkick', 'attach', '--detach-key', 'ctrl-a', 'f'), ['fixer']);
    assert.deepEqual(await complete('superkick', 'attach', '--detach-key', ''), []);
    assert.deepEqual(await complete('superkick', 'attach', 'a1b2', ''), []);
  });

  it('bash: a program to run after agent (and after --), then its own arguments as files', async () => {
    assert.ok((await complete('superkick', 'agent', 'bas')).includes('bash'));
    assert.ok((await complete('superkick', 'agent', '--name', 'x', '--', 'bas')).includes('bash'));
    assert.deepEqual(await complete('superkick', 'agent', '--', 'bash', '--nor'), []);
  });

  it('zsh and fish scripts carry the same tree', () => {
    for (const script of [zshScript(commandTree(program())), fishScript(commandTree(program()))]) {
      for (const expected of ['config show|--format', 'choices yaml json', 'config|check', 'attach|0', 'check it (don']) assert.ok(script.includes(expected), expected);
      assert.ok(!script.includes('secret'));
    }
  });

  for (const shell of ['zsh', 'fish'] as const) {
    const installed = hasShell(shell);
    it(`${shell} accepts the script's syntax`, { skip: installed ? false : `${shell} is not installed here` }, () => {
      const script = writeScript(shell === 'zsh' ? zshScript(commandTree(program())) : fishScript(commandTree(program())));
      try {
        execFileSync(shell, ['-n', script], { stdio: 'pipe' });
      } finally {
        fs.rmSync(path.dirname(script), { recursive: true, force: true });
      }
    });
  }
});

function hasShell(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}
