/**
 * The usage readers on session files recorded from the real CLIs
 * (test/fixtures/usage/, recorded by realCliCost.test.ts with
 * SUPERKICK_RECORD_USAGE=1; paths normalised to /project): the file is found
 * where the CLI puts it, read as it grows (a half-written last line waits),
 * lines written twice count once, and a new message adds.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO } from '../helpers/sandbox';
import { ClaudeUsageReader, claudeProjectSlug } from '../../server/src/cost/claudeUsage';
import { CodexUsageReader } from '../../server/src/cost/codexUsage';
import { GeminiUsageReader } from '../../server/src/cost/geminiUsage';
import { usageLaunch } from '../../server/src/cost/usageLaunch';
import { UsageClaims } from '../../server/src/cost/usageClaims';
import { driverNamed } from '../../server/src/drivers';
import type { UsageReader } from '../../server/src/cost/usageReader';

const FIXTURES = path.join(REPO, 'test', 'fixtures', 'usage');
const CLAUDE_SESSION = 'ff4854cf-21d8-4857-9bff-385c687b1be0';
const CODEX_FILE = 'rollout-2026-11-24T19-53-26-01a20f1e-cc4b-7fa1-8b12-a673bbd471e4.jsonl';
const GEMINI_SESSION = 'd0e3c7fd-39c4-42dd-bd9c-b3143984f174';
const GEMINI_FILE = 'session-2026-11-24T19-53-d0e3c7fd.jsonl';

const dirs: string[] = [];
const tempHome = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sk-usage-'));
  dirs.push(dir);
  return dir;
};
const fixtureLines = (program: string, name: string) => fs.readFileSync(path.join(FIXTURES, program, name), 'utf8').split('\n').filter(Boolean);

/** Writes the fixture into `file` in steps, polling between them, and checks each step's totals. */
function growAndPoll(reader: UsageReader, file: string, lines: string[], usageLine: number, expected: Record<string, unknown>) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  assert.deepEqual(reader.poll(), {}, 'no file yet: nothing');
  assert.equal(reader.source, null);
  // Everything before the usage line, and the usage line half written.
  const half = Math.floor(lines[usageLine].length / 2);
  fs.writeFileSync(file, `${lines.slice(0, usageLine).join('\n')}\n${lines[usageLine].slice(0, half)}`);
  assert.deepEqual(reader.poll(), {}, 'a half-written line counts nothing yet');
  assert.equal(reader.source, file);
  fs.appendFileSync(file, `${lines[usageLine].slice(half)}\n${lines.slice(usageLine + 1).join('\n')}\n`);
  assert.deepEqual(reader.poll(), expected, 'the whole file');
  fs.appendFileSync(file, `${lines[usageLine]}\nnot json at all\n`);
  assert.deepEqual(reader.poll(), expected, 'the same line again, and a garbled one, add nothing');
}

const doubled = (totals: Record<string, Record<string, number>>) =>
  Object.fromEntries(Object.entries(totals).map(([model, t]) => [model, Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v * 2]))]));

/** A Codex home with the fixture session's lines, its start time and the day folder its rollouts go in. */
function codexSession() {
  const codexHome = tempHome();
  const lines = fixtureLines('codex', CODEX_FILE);
  const meta = JSON.parse(lines[0]) as { payload: { timestamp: string } };
  const startedAt = Date.parse(meta.payload.timestamp) - 500;
  const dayDir = path.join(codexHome, 'sessions', '2026', '11', '24');
  return { codexHome, lines, meta, startedAt, dayDir };
}

describe('usage readers on recorded session files', () => {
  after(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it('Claude Code: message.usage per message id, found by session id', () => {
    const home = tempHome();
    const lines = fixtureLines('claude', `${CLAUDE_SESSION}.jsonl`);
    const usageLine = lines.findIndex((line) => line.includes('"type":"assistant"'));
    const reader = new ClaudeUsageReader({ home, cwd: '/project', sessionId: CLAUDE_SESSION, startedAt: 0 });
    const file = path.join(home, '.claude', 'projects', claudeProjectSlug('/project'), `${CLAUDE_SESSION}.jsonl`);
    const once = { 'claude-opus-4-8': { input: 1200, output: 57, cacheRead: 4000, cacheWrite: 300 } };
    growAndPoll(reader, file, lines, usageLine, once);
    // The next turn: a new message id with the same usage.
    fs.appendFileSync(file, `${lines[usageLine].replace(/"id":"msg_fake\d+"/, '"id":"msg_next"')}\n`);
    assert.deepEqual(reader.poll(), doubled(once));
    // A placeholder Claude Code made itself bills nothing.
    fs.appendFileSync(file, `${lines[usageLine].replace(/"id":"msg_fake\d+"/, '"id":"msg_synthetic"').replace(/"model":"[^"]+"/, '"model":"<synthetic>"')}\n`);
    assert.deepEqual(reader.poll(), doubled(once));
  });

  it('Claude Code: a resumed session counts only what was written since the agent started', () => {
    const home = tempHome();
    const lines = fixtureLines('claude', `${CLAUDE_SESSION}.jsonl`);
    const dir = path.join(home, '.claude', 'projects', claudeProjectSlug('/project'));
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${CLAUDE_SESSION}.jsonl`), `${lines.join('\n')}\n`);
    const reader = new ClaudeUsageReader({ home, cwd: '/project', sessionId: null, startedAt: Date.parse('2030-01-01T00:00:00Z') - 1 });
    fs.utimesSync(path.join(dir, `${CLAUDE_SESSION}.jsonl`), new Date('2030-01-01T00:00:00Z'), new Date('2030-01-01T00:00:00Z'));
    assert.deepEqual(reader.poll(), {}, 'the old messages are not this run\'s');
    assert.equal(reader.source, path.join(dir, `${CLAUDE_SESSION}.jsonl`), 'the newest file changed since the start');
  });

  it('Codex: token_usage_record per response id, the model from turn_context, found by cwd and start time', () => {
    const { codexHome, lines, startedAt, dayDir } = codexSession();
    // Another session in the same folder, from another cwd: never this agent's.
    fs.mkdirSync(dayDir, { recursive: true });
    fs.writeFileSync(path.join(dayDir, 'rollout-2026-11-24T19-53-27-other.jsonl'), `${lines.map((line) => line.split('"/project"').join('"/elsewhere"')).join('\n')}\n`);
    const reader = new CodexUsageReader({ codexHome, cwd: '/project', startedAt });
    const usageLine = lines.findIndex((line) => line.includes('"type":"token_usage_record"'));
    const once = { 'gpt-5-codex': { input: 500, output: 64, cacheRead: 1000, cacheWrite: 0 } };
    growAndPoll(reader, path.join(dayDir, CODEX_FILE), lines, usageLine, once);
    fs.appendFileSync(path.join(dayDir, CODEX_FILE), `${lines[usageLine].replace(/"response_id":"[^"]+"/, '"response_id":"resp_next"')}\n`);
    assert.deepEqual(reader.poll(), doubled(once));
  });

  it('Codex: two agents in the same cwd each read a session of their own', () => {
    const { codexHome, lines, meta, startedAt, dayDir } = codexSession();
    fs.mkdirSync(dayDir, { recursive: true });
    // The second session started a second later and used a different response id.
    const later = lines.map((line) => line.replace(meta.payload.timestamp, new Date(Date.parse(meta.payload.timestamp) + 1000).toISOString()).replace(/"response_id":"[^"]+"/, '"response_id":"resp_other"'));
    fs.writeFileSync(path.join(dayDir, CODEX_FILE), `${lines.join('\n')}\n`);
    fs.writeFileSync(path.join(dayDir, 'rollout-2026-11-24T19-53-27-second.jsonl'), `${later.join('\n')}\n`);
    const claimsDir = path.join(codexHome, 'claims');
    const first = new UsageClaims(claimsDir, 'agent-1');
    const second = new UsageClaims(claimsDir, 'agent-2');
    const readerA = new CodexUsageReader({ codexHome, cwd: '/project', startedAt, claim: (file) => first.claim(file) });
    const readerB = new CodexUsageReader({ codexHome, cwd: '/project', startedAt, claim: (file) => second.claim(file) });
    readerA.poll();
    readerB.poll();
    assert.equal(readerA.source, path.join(dayDir, CODEX_FILE), 'the earliest session to the first to claim');
    assert.equal(readerB.source, path.join(dayDir, 'rollout-2026-11-24T19-53-27-second.jsonl'), 'the other to the second');
    assert.equal(first.claim(readerA.source!), true, 'a claim is kept by its agent');
    first.release();
    assert.equal(fs.readdirSync(claimsDir).length, 1, 'released at exit; the other agent still holds its own');
  });

  it('Codex: falls back to the running totals of token_count events when there are no per-response records', () => {
    const codexHome = tempHome();
    const lines = fixtureLines('codex', CODEX_FILE).filter((line) => !line.includes('"type":"token_usage_record"'));
    const dayDir = path.join(codexHome, 'sessions', '2026', '11', '24');
    fs.mkdirSync(dayDir, { recursive: true });
    const file = path.join(dayDir, CODEX_FILE);
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    const reader = new CodexUsageReader({ codexHome, cwd: '/project', startedAt: 0 });
    const once = { 'gpt-5-codex': { input: 500, output: 64, cacheRead: 1000, cacheWrite: 0 } };
    assert.deepEqual(reader.poll(), once);
    const count = lines.find((line) => line.includes('"type":"token_count"'))!;
    fs.appendFileSync(file, `${count}\n`);
    assert.deepEqual(reader.poll(), once, 'the same running total again adds nothing');
    fs.appendFileSync(file, `${count.replace(/"total_token_usage":\{"input_tokens":1500,"cached_input_tokens":1000/, '"total_token_usage":{"input_tokens":3000,"cached_input_tokens":2000').replace(/"output_tokens":64,"reasoning_output_tokens":16,"total_tokens":1564\},"last/, '"output_tokens":128,"reasoning_output_tokens":32,"total_tokens":3128},"last')}\n`);
    assert.deepEqual(reader.poll(), doubled(once));
  });

  it('Gemini CLI: tokens of each gemini message by id, found by session id', () => {
    const home = tempHome();
    const lines = fixtureLines('gemini', GEMINI_FILE);
    const reader = new GeminiUsageReader({ home, sessionId: GEMINI_SESSION });
    const usageLine = lines.findIndex((line) => line.includes('"type":"gemini"'));
    const once = { 'gemini-3.1-pro-preview': { input: 700, output: 80, cacheRead: 600, cacheWrite: 0 } };
    const file = path.join(home, '.gemini', 'tmp', 'project', 'chats', GEMINI_FILE);
    growAndPoll(reader, file, lines, usageLine, once);
    // Gemini appends a message again when it changes: the last line for an id wins.
    const message = JSON.parse(lines[usageLine]) as { tokens: Record<string, number> };
    fs.appendFileSync(file, `${JSON.stringify({ ...message, tokens: { ...message.tokens, output: 140 } })}\n`);
    assert.equal(reader.poll()['gemini-3.1-pro-preview'].output, 150);
    // Messages may also arrive in a $set.
    fs.appendFileSync(file, `${JSON.stringify({ $set: { messages: [{ ...message, id: 'next' }] } })}\n`);
    assert.equal(reader.poll()['gemini-3.1-pro-preview'].output, 230);
  });

  it('a file read again from the start (replaced) counts each id once', () => {
    const home = tempHome();
    const lines = fixtureLines('gemini', GEMINI_FILE);
    const file = path.join(home, '.gemini', 'tmp', 'project', 'chats', GEMINI_FILE);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    const reader = new GeminiUsageReader({ home, sessionId: GEMINI_SESSION });
    const first = reader.poll();
    fs.writeFileSync(file, `${lines.slice(0, -1).join('\n')}\n`);
    assert.deepEqual(reader.poll(), first);
  });
});

describe('usage at launch', () => {
  const facts = (args: string[]) => ({ args, cwd: '/project', env: { HOME: '/home/me' }, startedAt: 0 });

  it('starts Claude Code and Gemini CLI with a session id of ours, unless the person chose a session', () => {
    const claude = usageLaunch(driverNamed('claude').usage, facts(['--model', 'opus']), () => 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee');
    assert.deepEqual(claude.args, ['--session-id', 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', '--model', 'opus']);
    assert.ok(claude.reader instanceof ClaudeUsageReader);
    assert.deepEqual(usageLaunch('claude-session', facts(['--continue'])).args, ['--continue']);
    assert.deepEqual(usageLaunch('claude-session', facts(['--resume=abc'])).args, ['--resume=abc']);
    const gemini = usageLaunch(driverNamed('gemini').usage, facts([]), () => 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee');
    assert.deepEqual(gemini.args, ['--session-id', 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee']);
    assert.equal(usageLaunch('gemini-chat', facts(['--resume', 'latest'])).reader, null, 'a resumed Gemini session is not found: unknown');
  });

  it('leaves Codex arguments alone, and has no reader for CLIs that expose no usage', () => {
    assert.deepEqual(usageLaunch(driverNamed('codex').usage, facts(['exec'])).args, ['exec']);
    for (const name of ['copilot', 'goose', 'command']) {
      assert.equal(driverNamed(name).usage, null, name);
      assert.equal(usageLaunch(driverNamed(name).usage, facts(['x'])).reader, null, name);
    }
  });
});
