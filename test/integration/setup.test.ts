/**
 * `superkick setup` as a person uses it: the built CLI in a real pty, answered
 * with keystrokes once the screen shows each question; the file it writes must
 * pass `superkick config check` on a real host. An existing file is never
 * replaced unasked, and `--yes` works without a terminal.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Sandbox, CLI } from '../helpers/sandbox';
import { TestTerminal } from '../helpers/terminal';
import { composeStarterConfig } from '../../server/src/config/starterConfig';
import { INTEGRATIONS } from '../../server/src/integrations';

const DOWN = '\x1b[B';
const ENTER = '\r';
const SPACE = ' ';

describe('superkick setup', () => {
  const sandbox = new Sandbox('sks');
  after(() => sandbox.cleanup());

  // Only these agent CLIs are "installed": PATH holds nothing else (node itself is run by its full path).
  const bin = path.join(sandbox.work, 'bin');
  fs.mkdirSync(bin);
  for (const program of ['codex', 'gemini']) fs.writeFileSync(path.join(bin, program), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  const env = { ...sandbox.env, PATH: bin };

  let count = 0;
  /** A fresh git repository to run setup in. */
  function workspace(existing?: string): { root: string; file: string } {
    const root = path.join(sandbox.work, `ws${++count}`);
    fs.mkdirSync(path.join(root, '.git'), { recursive: true });
    fs.mkdirSync(path.join(root, 'src'));
    const file = path.join(root, 'superkick.yml');
    if (existing !== undefined) fs.writeFileSync(file, existing);
    return { root, file };
  }

  function setupTerminal(root: string, args: string[] = []): TestTerminal {
    return new TestTerminal(process.execPath, [CLI, 'setup', ...args], { env, cwd: root, cols: 120, rows: 40 });
  }

  /** Presses a key, then waits until the screen shows what the key should have led to. */
  async function press(terminal: TestTerminal, key: string, shows: string | RegExp): Promise<void> {
    terminal.type(key);
    await terminal.waitForText(shows);
  }

  it('asks the agent CLI, the integrations and a budget, and writes a file that config check accepts', async () => {
    const { root, file } = workspace();
    const terminal = setupTerminal(root);
    try {
      const first = await terminal.waitForText('Which agent CLI');
      assert.match(first, /codex +\(installed\)/);
      assert.match(first, /claude +\(not found on PATH\)/);
      // The first installed CLI is the default, under the cursor.
      assert.match(first, /❯ codex/);
      await press(terminal, DOWN, /❯ copilot/);
      await press(terminal, DOWN, /❯ gemini/);
      await press(terminal, ENTER, /✔ Which agent CLI should agents run by default\? gemini$/m);

      // The whole list, down to its last group (under load it can be drawn in more than one write).
      const list = await terminal.waitForText(/Which integrations[^]*runtime:/);
      for (const section of ['spawners:', 'monitors:', 'notifiers:', 'goals:', 'runtime:']) assert.ok(list.includes(section), `the list is grouped: ${section}`);
      // The cursor starts on the first spawner; its summary shows below the list.
      assert.match(list, /❯ ?◯ datadog/);
      assert.ok(list.includes('Watches Datadog Error Tracking'), list);
      await press(terminal, SPACE, /❯ ?◉ datadog/);
      await press(terminal, DOWN, /❯ ?◯ inbox/);
      await press(terminal, DOWN, /❯ ?◯ github_issue/);
      await press(terminal, DOWN, /❯ ?◯ github_check_failed/);
      await press(terminal, DOWN, /❯ ?◯ shell/);
      await terminal.waitForText('Runs a command on every poll', 'the summary to follow the cursor');
      await press(terminal, SPACE, /❯ ?◉ shell/);
      terminal.type(ENTER);

      await terminal.waitForText('Daily spending limit');
      terminal.type(`15${ENTER}`);
      assert.equal(await terminal.waitForExit(), 0, terminal.text());
      const screen = terminal.text();
      assert.match(screen, /Wrote superkick\.yml: agents run gemini by default\./);
      assert.match(screen, /monitors\.tests runs commands on this machine/);
      assert.match(screen, /superkick trust/);
    } finally {
      terminal.kill();
    }

    const chosen = INTEGRATIONS.filter((i) => ['datadog', 'shell'].includes(i.type) || i.setupDefault);
    assert.equal(fs.readFileSync(file, 'utf8'), composeStarterConfig({ driver: 'gemini', integrations: chosen, dailyBudgetUsd: 15 }));

    const check = await sandbox.run(['config', 'check'], { cwd: root });
    assert.equal(check.code, 0, check.stdout + check.stderr);
    assert.match(check.stdout, /^superkick\.yml: OK$/m);
    assert.match(check.stdout, /monitors\.tests/, 'the shell monitor waits for trust');
  });

  it('an existing file: answering the default No keeps it byte for byte', async () => {
    const mine = '# mine, keep it\nbudget: {daily_usd: 1}   \n\n\tnot even valid: [\n';
    const { root, file } = workspace(mine);
    const terminal = setupTerminal(root);
    try {
      const screen = await terminal.waitForText('already exists');
      assert.match(screen, /\(y\/N\)/);
      terminal.type(ENTER);
      assert.equal(await terminal.waitForExit(), 0, terminal.text());
      assert.match(terminal.text(), /Left superkick\.yml as it was\./);
    } finally {
      terminal.kill();
    }
    assert.equal(fs.readFileSync(file, 'utf8'), mine);
  });

  it('an existing file: yes, then ctrl-c at a later question, still keeps it', async () => {
    const mine = 'agents: {driver: claude}\n';
    const { root, file } = workspace(mine);
    const terminal = setupTerminal(root);
    try {
      await terminal.waitForText('already exists');
      terminal.type('y');
      terminal.type(ENTER);
      await terminal.waitForText('Which agent CLI');
      terminal.type('\x03');
      assert.equal(await terminal.waitForExit(), 130, terminal.text());
      assert.match(terminal.text(), /setup cancelled; superkick\.yml was not written/);
    } finally {
      terminal.kill();
    }
    assert.equal(fs.readFileSync(file, 'utf8'), mine);
  });

  it('an existing file: yes, then the defaults, replaces it', async () => {
    const { root, file } = workspace('agents: {driver: claude}\n');
    const terminal = setupTerminal(root);
    try {
      await terminal.waitForText('already exists');
      terminal.type(`y${ENTER}`);
      await terminal.waitForText('Which agent CLI');
      terminal.type(ENTER);
      await terminal.waitForText('Which integrations');
      terminal.type(ENTER);
      await terminal.waitForText('Daily spending limit');
      terminal.type(ENTER);
      assert.equal(await terminal.waitForExit(), 0, terminal.text());
      assert.match(terminal.text(), /Replaced superkick\.yml: agents run codex by default\./);
      assert.doesNotMatch(terminal.text(), /superkick trust/, 'nothing chosen runs commands');
    } finally {
      terminal.kill();
    }
    const defaults = INTEGRATIONS.filter((i) => i.setupDefault);
    assert.equal(fs.readFileSync(file, 'utf8'), composeStarterConfig({ driver: 'codex', integrations: defaults }));
  });

  it('--yes without a terminal writes the defaults; config check accepts them and holds nothing back', async () => {
    const { root, file } = workspace();
    const result = await sandbox.run(['setup', '--yes'], { cwd: path.join(root, 'src'), env: { PATH: bin } });
    assert.equal(result.code, 0, result.stderr);
    // Run from inside the repository: the file goes to its root.
    assert.match(result.stdout, /^Wrote \.\.\/superkick\.yml: agents run codex by default\./m);
    assert.equal(fs.readFileSync(file, 'utf8'), composeStarterConfig({ driver: 'codex', integrations: INTEGRATIONS.filter((i) => i.setupDefault) }));

    const check = await sandbox.run(['config', 'check', '--json'], { cwd: root });
    assert.equal(check.code, 0, check.stdout + check.stderr);
    const status = JSON.parse(check.stdout) as { ok: boolean; diagnostics: unknown[]; heldBack: unknown[] };
    assert.deepEqual({ ok: status.ok, diagnostics: status.diagnostics, heldBack: status.heldBack }, { ok: true, diagnostics: [], heldBack: [] });
  });

  it('--yes never replaces an existing file; --yes --force does', async () => {
    const mine = 'budget:\n  daily_usd: 2\n';
    const { root, file } = workspace(mine);
    const refused = await sandbox.run(['setup', '--yes'], { cwd: root, env: { PATH: bin } });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /superkick\.yml already exists and was left as it was; run `superkick setup --yes --force` to replace it/);
    assert.equal(fs.readFileSync(file, 'utf8'), mine);

    const forced = await sandbox.run(['setup', '--yes', '--force', '-w', root], { env: { PATH: bin } });
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /^Replaced .*superkick\.yml/m);
    // Run from outside the workspace: the next steps say where it is.
    assert.ok(forced.stdout.includes(`superkick config check -w ${fs.realpathSync(root)}`), forced.stdout);
    assert.match(fs.readFileSync(file, 'utf8'), /^ {2}driver: codex$/m);
  });

  it('without --yes and without a terminal: a clear error, nothing written', async () => {
    const { root, file } = workspace();
    const result = await sandbox.run(['setup'], { cwd: root });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /input is not a terminal; run `superkick setup --yes`/);
    assert.equal(fs.existsSync(file), false);
  });
});
