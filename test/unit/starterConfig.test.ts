/**
 * The starter superkick.yml that `superkick setup` writes: every combination
 * of integrations the wizard can produce loads with no diagnostic at all, each
 * snippet is carried over with its comments, and what the closing message
 * calls "runs commands" is exactly what the loader holds back for trust.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { ConfigLoader } from '../../server/src/config/loadConfig';
import { formatDiagnostic } from '../../server/src/config/diagnostic';
import { commandEntryNames, composeStarterConfig, snippetEntryName, type StarterChoices } from '../../server/src/config/starterConfig';
import { DRIVERS } from '../../server/src/drivers';
import { INTEGRATIONS, type Integration } from '../../server/src/integrations';
import { checkTemplate } from '../../server/src/templates/checkTemplate';

const FILE = '/ws/superkick.yml';
const loader = new ConfigLoader({ checkTemplate });

function load(text: string) {
  // No environment at all: a starter file must not need a secret to be valid.
  return loader.load({ workspace: { file: FILE, text }, env: {} });
}

function assertClean(choices: StarterChoices, what: string): void {
  const text = composeStarterConfig(choices);
  const result = load(text);
  assert.deepEqual(result.diagnostics.map((d) => formatDiagnostic(d)), [], `${what}:\n${text}`);
  assert.equal(result.ok, true, what);
}

const runtimes = INTEGRATIONS.filter((integration) => integration.section === 'runtime');
const entries = INTEGRATIONS.filter((integration) => integration.section !== 'runtime');

/** Every subset the wizard can produce (at most one runtime) while that is cheap; past that, each alone and all together. */
function combinations(): Integration[][] {
  const runtimeChoices: Integration[][] = [[], ...runtimes.map((runtime) => [runtime])];
  const subsets: Integration[][] = [];
  if (entries.length <= 10) {
    for (let mask = 0; mask < 1 << entries.length; mask++) subsets.push(entries.filter((_, bit) => mask & (1 << bit)));
  } else {
    subsets.push([], ...entries.map((entry) => [entry]), entries);
  }
  return subsets.flatMap((subset) => runtimeChoices.map((runtime) => [...runtime, ...subset]));
}

describe('starter config: composed files load cleanly', () => {
  it('each integration alone, with each driver', () => {
    for (const integration of INTEGRATIONS) {
      for (const driver of DRIVERS) assertClean({ driver: driver.name, integrations: [integration] }, `${integration.section}/${integration.type} with ${driver.name}`);
    }
  });

  it('all of them together (one runtime), with a budget', () => {
    assertClean({ driver: 'claude', integrations: [...runtimes.slice(0, 1), ...entries], dailyBudgetUsd: 12.5 }, 'everything');
  });

  it('every combination the wizard can produce', () => {
    const all = combinations();
    assert.ok(all.length >= INTEGRATIONS.length + 1);
    all.forEach((integrations, index) => {
      const driver = DRIVERS[index % DRIVERS.length].name;
      assertClean({ driver, integrations, dailyBudgetUsd: index % 2 ? 3 : undefined }, `${driver}: ${integrations.map((i) => `${i.section}/${i.type}`).join(', ') || 'nothing'}`);
    });
  });

  it('no integration at all still gives a valid file with the driver and a commented budget', () => {
    const text = composeStarterConfig({ driver: 'codex', integrations: [] });
    assert.deepEqual(parse(text), { agents: { driver: 'codex' }, budget: null });
    assert.match(text, /^ {2}# daily_usd: 20 /m);
  });
});

describe('starter config: what the file says', () => {
  const everything = composeStarterConfig({ driver: 'gemini', integrations: [...runtimes.slice(0, 1), ...entries], dailyBudgetUsd: 7 });

  it('opens with a header naming the docs and config check', () => {
    const header = everything.split('\n\n')[0];
    assert.match(header, /^# superkick\.yml/);
    assert.match(header, /docs\/configuration\.md/);
    assert.match(header, /superkick config check/);
    assert.ok(header.split('\n').every((line) => line.startsWith('#')));
  });

  it('writes the driver, the budget and every entry under its own section', () => {
    const parsed = parse(everything) as Record<string, Record<string, unknown>>;
    assert.deepEqual(parsed.agents, { driver: 'gemini' });
    assert.deepEqual(parsed.budget, { daily_usd: 7 });
    for (const integration of entries) {
      const entry = parsed[integration.section][snippetEntryName(integration)!] as { type: string };
      assert.equal(entry.type, integration.type, `${integration.section}.${snippetEntryName(integration)}`);
    }
    for (const runtime of runtimes.slice(0, 1)) assert.equal(parsed.runtime.type, runtime.type);
    assert.ok(Object.keys(parsed).indexOf('agents') < Object.keys(parsed).indexOf('spawners'), 'agents come first');
  });

  it('carries each snippet over line by line, its comments included, under a comment with its summary', () => {
    for (const integration of INTEGRATIONS) {
      const text = composeStarterConfig({ driver: 'claude', integrations: [integration] });
      const indented = integration.setupSnippet.trimEnd().split('\n').map((line) => (line ? `  ${line}` : line)).join('\n');
      const at = text.indexOf(`\n${indented}\n`);
      assert.ok(at >= 0, `${integration.type}'s snippet appears as written:\n${text}`);
      const before = text.slice(0, at).split('\n');
      const comment: string[] = [];
      while (before.length && before[before.length - 1].startsWith('  # ')) comment.unshift(before.pop()!.slice(4));
      const summaryWords = comment.join(' ');
      assert.ok(summaryWords.includes(integration.summary.split(' ').slice(-2).join(' ')), `${integration.type}: summary comment above it`);
    }
  });

  it('the command driver gets a commented command line to fill in', () => {
    assert.match(composeStarterConfig({ driver: 'command', integrations: [] }), /^ {2}# command: my-agent +# /m);
    assert.doesNotMatch(composeStarterConfig({ driver: 'claude', integrations: [] }), /# command:/);
  });

  it('refuses two runtimes', () => {
    const twice = [runtimes[0], { ...runtimes[0], type: 'other' }];
    assert.throws(() => composeStarterConfig({ driver: 'claude', integrations: twice }), /one runtime/);
  });
});

describe('starter config: what the wizard relies on', () => {
  it('entry names are unique within a section, so any choice of entries is a valid map', () => {
    for (const integration of entries) {
      const same = entries.filter((other) => other.section === integration.section && snippetEntryName(other) === snippetEntryName(integration));
      assert.equal(same.length, 1, `${integration.section}.${snippetEntryName(integration)} is written by ${same.map((s) => s.type).join(' and ')}`);
      assert.ok(snippetEntryName(integration), `${integration.type}'s snippet starts with its entry name`);
    }
  });

  it('the entries it calls "runs commands" are exactly the ones the loader holds back until trusted', () => {
    const all = [...runtimes.slice(0, 1), ...entries];
    const result = load(composeStarterConfig({ driver: 'claude', integrations: all }));
    const heldBack = result.heldBack.map((entry) => entry.path).sort();
    assert.deepEqual(commandEntryNames(all).map((entry) => `${entry.section}.${entry.name}`).sort(), heldBack);
    assert.ok(heldBack.length > 0, 'some snippet runs commands, so this test can fail');
  });

  it('the defaults (setup --yes) need no account and run no command', () => {
    const defaults = INTEGRATIONS.filter((integration) => integration.setupDefault);
    assert.ok(defaults.length > 0);
    for (const integration of defaults) assert.notEqual(integration.runsCommands, true, integration.type);
    const result = load(composeStarterConfig({ driver: 'claude', integrations: defaults }));
    assert.deepEqual(result.heldBack, []);
  });
});
