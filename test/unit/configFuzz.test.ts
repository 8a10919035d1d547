/**
 * The loader against broken files: 1,000 random mutations of valid configs
 * (deleted lines, wrong types, broken indentation, binary junk). It never
 * throws, every error has a position inside the file, and the live
 * configuration stays the last good one.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ConfigLoader } from '../../server/src/config/loadConfig';
import { ConfigHolder } from '../../server/src/config/configHolder';

const VALID = [
  `server:
  url: https://sk.example.com
  api_key: <%= env("SK_KEY", "k") %>
  log_level: info
runtime:
  type: local
agents:
  driver: claude
  max_duration: 3600
  env: {A: "1"}
budget:
  daily_usd: 20
  warn_at_percent: 80
goals:
  done: {type: agent_exit}
  green:
    type: command
    command: make test
monitors:
  tests:
    type: shell
    command: npm test
    notify_on: change
    template: |
      Tests {{ status }}
notifiers:
  bell: {type: terminal_bell, events: [agent_waiting]}
spawners:
  errors:
    type: datadog
    service: web
    goal: done
    monitors: [tests]
    setup:
      - npm ci
repositories:
  app: {path: ., base_branch: main}
templates:
  overrides:
    datadog/error_opened: "Fix {{ error_class }}"
`,
  `drivers:
  claude:
    states:
      idle: ['\\? for shortcuts']
    idle_settle_ms: 200
team:
  max_workers: 3
  planner: {driver: codex}
`,
];

type Mutation =
  | { kind: 'deleteLine'; at: number }
  | { kind: 'indent'; at: number; spaces: number }
  | { kind: 'replaceValue'; at: number; value: string }
  | { kind: 'insert'; at: number; junk: string }
  | { kind: 'truncate'; at: number }
  | { kind: 'duplicateLine'; at: number };

const junk = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.uint8Array({ maxLength: 12 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
  fc.constantFrom(':', '- ', '{', '[', '"', "'", '&a', '*a', '!!binary', '<%= env("X") %>', '<%', '\t', '\0', '---\n', '? ', '|', '>-'),
);

const value = fc.oneof(
  fc.constantFrom('3', '-1', 'true', 'null', '~', '[]', '{}', '"x"', '[1, {a: b}]', 'shell', 'datadg', '1e999', '0x1F'),
  fc.string({ maxLength: 8 }),
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('deleteLine' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('indent' as const), at: fc.nat(), spaces: fc.integer({ min: -4, max: 5 }) }),
  fc.record({ kind: fc.constant('replaceValue' as const), at: fc.nat(), value }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), junk }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicateLine' as const), at: fc.nat() }),
);

function mutate(text: string, m: Mutation): string {
  const lines = text.split('\n');
  const i = m.at % lines.length;
  switch (m.kind) {
    case 'deleteLine':
      lines.splice(i, 1);
      break;
    case 'indent':
      lines[i] = m.spaces >= 0 ? ' '.repeat(m.spaces) + lines[i] : lines[i].slice(Math.min(-m.spaces, lines[i].length - lines[i].trimStart().length));
      break;
    case 'replaceValue': {
      const colon = lines[i].indexOf(': ');
      lines[i] = colon >= 0 ? `${lines[i].slice(0, colon + 2)}${m.value}` : `${lines[i]}${m.value}`;
      break;
    }
    case 'insert': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + m.junk + text.slice(at);
    }
    case 'truncate':
      return text.slice(0, m.at % (text.length + 1));
    case 'duplicateLine':
      lines.splice(i, 0, lines[i]);
      break;
  }
  return lines.join('\n');
}

describe('config loader fuzz', () => {
  const loader = new ConfigLoader({ checkTemplate: (source) => (source.includes('{%') ? [{ message: 'tag', start: source.indexOf('{%'), end: source.length + 5 }] : []) });

  it('1,000 mutations: never throws, every error is positioned in its file, the last good config stays live', () => {
    const holder = new ConfigHolder();
    let rejected = 0;
    for (const text of VALID) {
      const result = loader.load({ workspace: { file: 'superkick.yml', text }, env: {} });
      assert.equal(result.ok, true, JSON.stringify(result.diagnostics));
    }
    fc.assert(
      fc.property(fc.constantFrom(...VALID.keys()), fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.boolean(), (which, mutations, inUserFile) => {
        const good = loader.load({ workspace: { file: 'superkick.yml', text: VALID[which] }, env: {} });
        holder.apply(good);
        const text = mutations.reduce(mutate, VALID[which]);
        const file = inUserFile ? 'config.yml' : 'superkick.yml';
        const result = inUserFile
          ? loader.load({ user: { file, text }, workspace: { file: 'superkick.yml', text: VALID[1 - which] }, env: {} })
          : loader.load({ workspace: { file, text }, env: {} });
        for (const d of result.diagnostics) {
          const source = d.file === file ? text : VALID[1 - which];
          assert.ok(d.line >= 1 && d.column >= 1, `positioned: ${JSON.stringify(d)}`);
          assert.ok(d.offset >= 0 && d.offset <= d.endOffset && d.endOffset <= source.length, `inside the file: ${JSON.stringify(d)}`);
          assert.ok(d.message.length > 0);
        }
        assert.equal(result.ok, !result.diagnostics.some((d) => d.severity === 'error'));
        const before = holder.config;
        holder.apply(result);
        if (!result.ok) {
          rejected++;
          assert.equal(holder.config, before, 'a bad load never replaces the live configuration');
          assert.equal(holder.usingLastGood, true);
        }
      }),
      { numRuns: 1000 },
    );
    // The mutations must actually break files, or the properties above say nothing.
    assert.ok(rejected > 300, `only ${rejected} of 1000 mutated files were rejected`);
  });
});
