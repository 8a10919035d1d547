/**
 * The language service over in-memory documents: diagnostics at exact ranges
 * for each kind of problem, completion of keys, `type:` values, enum values
 * and entry names, hover docs, and no exception on anything half-typed.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ConfigLanguageService } from '../../server/src/language';
import { ConfigLoader, type ConfigText } from '../../server/src/config/loadConfig';
import { checkTemplate } from '../../server/src/templates';
import { INTEGRATIONS } from '../../server/src/integrations';
import { DiagnosticSeverity, InsertTextFormat, type CompletionItem, type Diagnostic, type Position, type Range } from '../../server/src/protocol/language';

const USER_FILE = '/home/u/.superkick/config.yml';
const WS_URI = 'file:///src/app/superkick.yml';
const USER_URI = `file://${USER_FILE}`;

const loader = new ConfigLoader({ checkTemplate });

function serviceWith(userText?: string, env: Record<string, string> = {}): ConfigLanguageService {
  return new ConfigLanguageService({
    loader,
    checkTemplate,
    userConfigFile: USER_FILE,
    readUserConfig: (): ConfigText => ({ file: USER_FILE, text: userText }),
    env: () => env,
  });
}

const service = serviceWith();

function doc(text: string, uri = WS_URI): TextDocument {
  return TextDocument.create(uri, 'yaml', 1, text);
}

/** The range of the `occurrence`-th `needle` in `text`. */
function rangeOf(text: string, needle: string, occurrence = 1): Range {
  let at = -1;
  for (let i = 0; i < occurrence; i++) {
    at = text.indexOf(needle, at + 1);
    assert.ok(at >= 0, `${JSON.stringify(needle)} occurs ${occurrence} times`);
  }
  const document = doc(text);
  return { start: document.positionAt(at), end: document.positionAt(at + needle.length) };
}

/** The position just after the `|` in `marked`, and the text without it. */
function cursor(marked: string): { text: string; position: Position } {
  const at = marked.indexOf('|');
  const text = marked.slice(0, at) + marked.slice(at + 1);
  return { text, position: doc(text).positionAt(at) };
}

function complete(marked: string, svc = service): CompletionItem[] {
  const { text, position } = cursor(marked);
  return svc.complete(doc(text), position);
}

function messageOf(d: Diagnostic): string {
  return typeof d.message === 'string' ? d.message : d.message.value;
}

function labels(items: CompletionItem[]): string[] {
  return items.map((item) => item.label).sort();
}

function docsOf(item: CompletionItem | undefined): string {
  const documentation = item?.documentation;
  return typeof documentation === 'string' ? documentation : (documentation?.value ?? '');
}

function hoverText(marked: string): string | undefined {
  const { text, position } = cursor(marked);
  const hover = service.hover(doc(text), position);
  if (!hover) return undefined;
  const contents = hover.contents as { value: string };
  return contents.value;
}

describe('language: diagnostics', () => {
  it('a YAML syntax error mid-edit is an error at the half-typed line', () => {
    const text = 'monitors:\n  tests:\n    type: shell\n    comm\n';
    const [d, ...rest] = service.diagnose(doc(text));
    assert.equal(rest.length, 0);
    assert.deepEqual(d.range, rangeOf(text, 'comm'));
    assert.equal(d.severity, DiagnosticSeverity.Error);
    assert.equal(d.source, 'superkick');
    assert.match(messageOf(d), /^YAML: /);
  });

  it('a value of the wrong type is marked on the value', () => {
    const text = 'budget:\n  daily_usd: "lots"\n';
    const diagnostics = service.diagnose(doc(text));
    assert.deepEqual(diagnostics.map((d) => [d.range, messageOf(d)]), [[rangeOf(text, '"lots"'), 'budget.daily_usd: must be a number, not the string "lots"']]);
  });

  it('an unknown key and an unknown type name what is allowed, on the key and on the value', () => {
    const text = 'monitors:\n  tests:\n    type: shel\n    command: npm test\nbudgte:\n  daily_usd: 1\n';
    const diagnostics = service.diagnose(doc(text));
    const byMessage = new Map(diagnostics.map((d) => [messageOf(d).split(':')[0], d]));
    const type = byMessage.get('monitors.tests.type')!;
    assert.deepEqual(type.range, rangeOf(text, 'shel'));
    assert.match(messageOf(type), /unknown monitor type "shel" \(did you mean "shell"\?\); known monitor types: shell/);
    const key = byMessage.get('budgte')!;
    assert.deepEqual(key.range, rangeOf(text, 'budgte'));
    assert.match(messageOf(key), /did you mean "budget"/);
  });

  it('a missing required key is marked on the entry that lacks it', () => {
    const text = 'monitors:\n  tests:\n    type: shell\n    poll_interval: 30\n';
    const [d, ...rest] = service.diagnose(doc(text));
    assert.equal(rest.length, 0);
    assert.deepEqual(d.range, rangeOf(text, 'tests'));
    assert.equal(messageOf(d), 'monitors.tests: missing required key "command"');
  });

  it('an unset env() variable is marked on its expression; a set one is not a problem', () => {
    const text = 'server:\n  api_key: <%= env("SK_TEST_KEY") %>\n';
    const [d, ...rest] = service.diagnose(doc(text));
    assert.equal(rest.length, 0);
    assert.deepEqual(d.range, rangeOf(text, '<%= env("SK_TEST_KEY") %>'));
    assert.match(messageOf(d), /environment variable SK_TEST_KEY is not set/);
    assert.deepEqual(serviceWith(undefined, { SK_TEST_KEY: 'k' }).diagnose(doc(text)), []);
  });

  it('a Liquid error in a template string is marked on the fault inside the string', () => {
    const text = 'notifiers:\n  bell:\n    type: terminal_bell\n    template: "{{ agent.name | shout }}"\n';
    const [d, ...rest] = service.diagnose(doc(text));
    assert.equal(rest.length, 0);
    assert.deepEqual(d.range, rangeOf(text, 'shout'));
    assert.match(messageOf(d), /^notifiers\.bell\.template: undefined filter: shout/);
  });

  it('a Liquid syntax error in a workspace template file is marked where it is', () => {
    const text = 'Hello {{ agent.name }}\n{% if agent.state %}\nidle\n';
    const uri = 'file:///src/app/.superkick/templates/core/kickoff.liquid';
    const [d, ...rest] = service.diagnose(doc(text, uri));
    assert.equal(rest.length, 0);
    assert.equal(d.severity, DiagnosticSeverity.Error);
    assert.match(messageOf(d), /tag .*if.* not closed/);
    assert.deepEqual(d.range.start, rangeOf(text, '{% if').start);
    assert.deepEqual(service.diagnose(doc('{{ agent.name | upcase }}\n', uri)), []);
  });

  it('documents that are neither configuration nor workspace templates get nothing', () => {
    assert.deepEqual(service.diagnose(doc('budget: [', 'file:///src/app/other.yml')), []);
    assert.deepEqual(service.diagnose(doc('{% if %}', 'file:///src/app/templates/x.liquid')), []);
    assert.deepEqual(service.diagnose(doc('budget: [', 'untitled:Untitled-1')), []);
  });

  it("the user's file from disk is merged underneath, but only the open document's problems are given", () => {
    const user = 'goals:\n  green:\n    type: command\n    command: npm test\nbudget:\n  daily_usd: "lots"\n';
    const svc = serviceWith(user);
    // `goal: green` refers to the user's goal: fine. The user's own budget error belongs to that file.
    const text = 'spawners:\n  dd:\n    type: datadog\n    goal: green\n    query: x\n';
    const own = svc.diagnose(doc(text)).map((d) => messageOf(d));
    assert.ok(!own.some((m) => m.includes('budget')), own.join('\n'));
    assert.ok(!own.some((m) => m.includes('green')), own.join('\n'));
    const missing = svc.diagnose(doc(text.replace('green', 'gren'))).find((d) => messageOf(d).includes('gren'));
    assert.ok(missing, 'a goal that exists in neither file is reported');
    assert.match(messageOf(missing), /did you mean "green"/);
  });

  it("a broken user file does not hide the open workspace document's own problems", () => {
    const svc = serviceWith('budget: [1\n');
    const text = 'budget:\n  daily_usd: "lots"\n';
    assert.deepEqual(svc.diagnose(doc(text)).map((d) => d.range), [rangeOf(text, '"lots"')]);
  });

  it("the user's config.yml open in an editor is checked on its own", () => {
    const text = 'budget:\n  daily_usd: -1\n';
    const [d] = serviceWith('budget:\n  daily_usd: 5\n').diagnose(doc(text, USER_URI));
    assert.deepEqual(d.range, rangeOf(text, '-1'));
  });
});

describe('language: completion', () => {
  it('at the top: every section not yet written, with its description and a snippet', () => {
    const items = complete('budget:\n  daily_usd: 3\n|');
    assert.deepEqual(labels(items), ['agents', 'drivers', 'goals', 'monitors', 'notifiers', 'pricing', 'repositories', 'runtime', 'server', 'spawners', 'team', 'templates']);
    const monitors = items.find((i) => i.label === 'monitors')!;
    assert.match(docsOf(monitors), /^Named monitors/);
    assert.equal(monitors.insertTextFormat, InsertTextFormat.Snippet);
    assert.equal((monitors.textEdit as { newText: string }).newText, 'monitors:\n\t$0');
  });

  it('a half-typed key is replaced whole, scalar keys get `key: `', () => {
    const items = complete('budget:\n  dai|ly\n');
    const daily = items.find((i) => i.label === 'daily_usd')!;
    assert.deepEqual(daily.textEdit, { range: { start: { line: 1, character: 2 }, end: { line: 1, character: 7 } }, newText: 'daily_usd: $0' });
    assert.match(docsOf(daily), /calendar day/);
  });

  it("inside a named monitors entry with type: shell: that type's keys and the common ones", () => {
    const items = complete('monitors:\n  tests:\n    type: shell\n    |\n    timeout: 30\n');
    const shell = INTEGRATIONS.find((i) => i.section === 'monitors' && i.type === 'shell')!;
    const own = Object.keys(shell.configSchema.properties as object).filter((k) => k !== 'timeout');
    for (const key of [...own, 'poll_interval', 'enabled', 'template', 'priority']) assert.ok(labels(items).includes(key), `offers ${key}`);
    assert.ok(!labels(items).includes('type'), 'type is written already');
    assert.ok(!labels(items).includes('timeout'), 'timeout is written already (below the cursor)');
    const command = items.find((i) => i.label === 'command')!;
    assert.equal(command.detail, 'required');
    assert.match(docsOf(command), /sh -c/);
  });

  it('an entry without a type yet is offered `type` first', () => {
    const items = complete('goals:\n  green:\n    |\n');
    assert.equal([...items].sort((a, b) => a.sortText!.localeCompare(b.sortText!))[0].label, 'type');
  });

  it('on `type: `: the registered types of that section, with their summaries', () => {
    const items = complete('goals:\n  green:\n    type: |\n');
    const goals = INTEGRATIONS.filter((i) => i.section === 'goals');
    assert.deepEqual(labels(items), goals.map((g) => g.type).sort());
    for (const goal of goals) assert.equal(docsOf(items.find((i) => i.label === goal.type)), goal.summary);
    const monitors = complete('monitors:\n  t:\n    type: sh|\n');
    assert.deepEqual(labels(monitors), INTEGRATIONS.filter((i) => i.section === 'monitors').map((m) => m.type).sort());
    assert.deepEqual(monitors.find((item) => item.label === 'shell')!.textEdit, { range: { start: { line: 2, character: 10 }, end: { line: 2, character: 12 } }, newText: 'shell' });
  });

  it('right after `type:` the value comes with its space', () => {
    const [item] = complete('runtime:\n  type:|\n');
    assert.deepEqual(item.textEdit, { range: { start: { line: 1, character: 7 }, end: { line: 1, character: 7 } }, newText: ' local' });
  });

  it('enum values, booleans, list items and entry names', () => {
    assert.deepEqual(labels(complete('monitors:\n  t:\n    type: shell\n    notify_on: |\n')), ['always', 'change', 'failure']);
    assert.deepEqual(labels(complete('monitors:\n  t:\n    type: shell\n    enabled: |\n')), ['false', 'true']);
    assert.ok(labels(complete('notifiers:\n  n:\n    type: terminal_bell\n    events:\n      - |\n')).includes('goal_met'));
    const goal = complete('goals:\n  green:\n    type: agent_exit\n  signal:\n    type: agent_signal\nspawners:\n  dd:\n    type: datadog\n    goal: |\n');
    assert.deepEqual(labels(goal), ['green', 'signal']);
    assert.ok(labels(complete('drivers:\n  |\n')).includes('claude'));
  });

  it('renaming a key keeps its colon and value', () => {
    const [item] = complete('budget:\n  per_a|:  4\n').filter((i) => i.label === 'per_agent_usd');
    assert.deepEqual(item.textEdit, { range: { start: { line: 1, character: 2 }, end: { line: 1, character: 7 } }, newText: 'per_agent_usd' });
  });

  it('nothing inside a block scalar, a comment or an unknown section', () => {
    assert.deepEqual(complete('notifiers:\n  n:\n    type: terminal_bell\n    template: |\n      Hello |\n'), []);
    assert.deepEqual(complete('# budg|\n'), []);
    assert.deepEqual(complete('nosuch:\n  |\n'), []);
  });
});

describe('language: hover', () => {
  it('a key shows its description', () => {
    assert.equal(hoverText('budget:\n  dai|ly_usd: 3\n'), '**budget.daily_usd**\n\nLimit on the cost of all agents per calendar day (local time).');
    assert.match(hoverText('monitors:\n  t:\n    type: shell\n    comm|and: x\n')!, /^\*\*monitors\.t\.command\*\*\n\nThe command, run with `sh -c`/);
    assert.match(hoverText('spawners:\n  dd:\n    type: datadog\n    poll_in|terval: 30\n')!, /Seconds between polls of the source/);
  });

  it("a `type:` value shows its integration's summary; an entry's name says what it is", () => {
    const shell = INTEGRATIONS.find((i) => i.type === 'shell')!;
    assert.equal(hoverText('monitors:\n  t:\n    type: sh|ell\n'), `**shell** (monitor type)\n\n${shell.summary}`);
    assert.equal(hoverText('monitors:\n  t|ests:\n    type: shell\n'), `**monitors.tests**\n\nA **shell** monitor: ${shell.summary}`);
  });

  it('nothing on unknown keys, blank space or values other than types', () => {
    assert.equal(hoverText('budget:\n  nope|: 1\n'), undefined);
    assert.equal(hoverText('budget:\n  daily_usd: 3|0\n'), undefined);
    assert.equal(hoverText('budget:\n|\n'), undefined);
  });
});

describe('language: half-typed documents', () => {
  const sample = [
    'runtime: {type: local}',
    'monitors:',
    '  tests:',
    '    type: shell',
    '    command: "npm test"   # quoted, with a comment',
    '    notify_on: change',
    '    template: |',
    '      Tests: {{ output | external: "tests" }}',
    'spawners:',
    "  'dd':",
    '    type: datadog',
    '    setup:',
    '    - npm ci',
    '    - |',
    '      echo hi',
    '    goal: green',
    'goals:',
    '  green: {type: agent_exit}',
    'server:',
    '  api_key: <%= env("KEY") %>',
    '',
  ].join('\n');

  it('every prefix of a real file: diagnose, complete and hover never throw', () => {
    for (let end = 0; end <= sample.length; end++) {
      const text = sample.slice(0, end);
      const document = doc(text);
      const diagnostics = service.diagnose(document);
      for (const d of diagnostics) assert.ok(d.range.start.line <= d.range.end.line, 'ranges are ordered');
      const last = document.positionAt(text.length);
      service.complete(document, last);
      service.hover(document, last);
      service.hover(document, { line: last.line, character: 0 });
    }
  });

  it('every position of a real file, and positions past the end, never throw', () => {
    const document = doc(sample);
    for (let offset = 0; offset <= sample.length; offset++) {
      const position = document.positionAt(offset);
      service.complete(document, position);
      service.hover(document, position);
    }
    assert.deepEqual(service.complete(document, { line: 999, character: 3 }), []);
    assert.equal(service.hover(document, { line: 2, character: 999 }), null);
  });

  it('random YAML-ish text at random positions: nothing throws', () => {
    const piece = fc.constantFrom('monitors:', 'type: ', 'shell', '  ', '    ', '\n', '- ', ': ', '"', "'", '|', '#', '{', '}', '[', 'goal: ', 'events:', '\r\n', '\t', 'é', '💥', 'x');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), fc.nat(), (pieces, at) => {
        const text = pieces.join('');
        const document = doc(text);
        const position = document.positionAt(at % (text.length + 1));
        service.diagnose(document);
        service.complete(document, position);
        service.hover(document, position);
      }),
      { numRuns: 500 },
    );
  });
});
