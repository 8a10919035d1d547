/**
 * Cost from the real CLIs (Claude Code, Codex, Gemini) against the fake model
 * server, inside a loopback-only network namespace: after one turn (its
 * prompt given on the command line), each agent's record carries the tokens the fake model reported (read back from
 * the CLI's own session files) and a USD figure from the shipped price table;
 * an agent whose CLI exposes no usage shows its cost as unknown.
 * With SUPERKICK_RECORD_USAGE=1 the session files are copied (paths
 * normalised) into test/fixtures/usage/ for the reader unit tests.
 */
import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO } from '../helpers/sandbox';
import { HostWatch } from '../helpers/hostWatch';
import { describeWithRealClis, RealCliWorld } from '../helpers/realCliWorld';
import { FakeModelServer } from '../fakes/models/fakeModelServer';
import type { Turn } from '../fakes/models/reply';
import { ANTHROPIC_USAGE } from '../fakes/models/anthropic';
import { OPENAI_USAGE } from '../fakes/models/openai';
import { GEMINI_USAGE } from '../fakes/models/gemini';
import type { AgentRecord } from '../../server/src/protocol';
import type { TokenCounts } from '../../server/src/protocol/cost';
import { PriceTable } from '../../server/src/cost/pricing';

const CLI_DEADLINE_MS = 120_000;

/**
 * Each CLI, the tokens one fake answer reports as that CLI should count them
 * (input without the cached part; reasoning in output), and arguments that
 * pick a model the shipped price table knows where the CLI's default is a
 * fake name.
 */
const CLIS: Array<{ program: string; vendor: Turn['vendor']; args: string[]; promptArgs: (prompt: string) => string[]; perAnswer: TokenCounts }> = [
  {
    program: 'claude',
    vendor: 'anthropic',
    args: [],
    promptArgs: (prompt) => [prompt],
    perAnswer: { input: ANTHROPIC_USAGE.input_tokens, output: ANTHROPIC_USAGE.output_tokens, cacheRead: ANTHROPIC_USAGE.cache_read_input_tokens, cacheWrite: ANTHROPIC_USAGE.cache_creation_input_tokens },
  },
  {
    program: 'codex',
    vendor: 'openai',
    args: ['-c', 'model="gpt-5-codex"'],
    promptArgs: (prompt) => [prompt],
    perAnswer: { input: OPENAI_USAGE.input_tokens - OPENAI_USAGE.input_tokens_details.cached_tokens, output: OPENAI_USAGE.output_tokens, cacheRead: OPENAI_USAGE.input_tokens_details.cached_tokens, cacheWrite: 0 },
  },
  {
    program: 'gemini',
    vendor: 'gemini',
    args: [],
    promptArgs: (prompt) => ['--prompt-interactive', prompt],
    perAnswer: { input: GEMINI_USAGE.promptTokenCount - GEMINI_USAGE.cachedContentTokenCount, output: GEMINI_USAGE.candidatesTokenCount + GEMINI_USAGE.thoughtsTokenCount, cacheRead: GEMINI_USAGE.cachedContentTokenCount, cacheWrite: 0 },
  },
];

describeWithRealClis('cost from the real agent CLIs', __filename, () => {
  const world = new RealCliWorld();
  const { sandbox } = world;
  let fake: FakeModelServer;
  let watch: HostWatch;
  let env: NodeJS.ProcessEnv;
  const { home } = world;
  before(() => ({ fake, watch, env } = world));


  it('a command-driver agent shows its cost as unknown, not zero', async () => {
    const id = await sandbox.startAgent(['bash', '--norc'], ['--name', 'plain-cost'], { env });
    await watch.until(id, (r) => r.connected, 'registered', CLI_DEADLINE_MS);
    const record = await sandbox.agent(id);
    assert.equal(record.driver, 'command');
    assert.equal(record.cost, null);
    assert.match(await sandbox.runOk(['list'], { env }), /plain-cost.*\bunknown$/m);
    await sandbox.run(['stop', id, '--force'], { env });
  });

  for (const { program, vendor, args, promptArgs, perAnswer } of CLIS) {
    it(`${program}: after one turn its record shows the tokens the model reported and their price`, async () => {
      // The prompt is given on the command line: this test is about the usage the CLI records, not about typing into it.
      const from = fake.turns.length;
      const id = await sandbox.startAgent([program, ...args, ...promptArgs(`Cost-${program} please answer.`)], ['--name', `${program}-cost`], { env });
      await fake.turn(vendor, (t) => t.userText.includes(`Cost-${program}`), 'the prompt', from);
      const record = await watch.until(id, (r) => (r.cost?.outputTokens ?? 0) > 0, 'the usage of the turn on the record', CLI_DEADLINE_MS);
      if (process.env.SUPERKICK_RECORD_USAGE === '1') recordSessionFiles(program, home, sandbox.work);
      const cost = record.cost!;
      // Side requests (titles, routing) may or may not be in the CLI's records: count whole answers.
      const answers = cost.outputTokens / perAnswer.output;
      assert.ok(Number.isInteger(answers) && answers >= 1, `${cost.outputTokens} output tokens is a whole number of answers`);
      assert.deepEqual(tokensOf(cost), scaled(perAnswer, answers));
      assert.equal(cost.models.length, 1, `one model: ${cost.models.join(', ')}`);
      assert.deepEqual(cost.unpricedModels, []);
      const expected = new PriceTable().cost(cost.models[0], scaled(perAnswer, answers))!;
      assert.ok(expected > 0);
      assert.ok(Math.abs(cost.usd! - expected) < 1e-6, `usd ${cost.usd} ≈ ${expected}`);
      const table = await sandbox.runOk(['cost'], { env });
      assert.match(table, new RegExp(`^${id}\\s+${program}-cost\\s+${program}\\s`, 'm'));
      await sandbox.run(['stop', id, '--force'], { env });
    });
  }
});

function tokensOf(cost: NonNullable<AgentRecord['cost']>): TokenCounts {
  return { input: cost.inputTokens, output: cost.outputTokens, cacheRead: cost.cacheReadTokens, cacheWrite: cost.cacheWriteTokens };
}

function scaled(tokens: TokenCounts, times: number): TokenCounts {
  return { input: tokens.input * times, output: tokens.output * times, cacheRead: tokens.cacheRead * times, cacheWrite: tokens.cacheWrite * times };
}

/** Copies the CLI's session files into test/fixtures/usage/<program>/, with the test's paths replaced by placeholders. */
function recordSessionFiles(program: string, home: string, cwd: string): void {
  const roots: Record<string, string> = { claude: path.join(home, '.claude', 'projects'), codex: path.join(home, '.codex', 'sessions'), gemini: path.join(home, '.gemini', 'tmp') };
  const out = path.join(REPO, 'test', 'fixtures', 'usage', program);
  fs.mkdirSync(out, { recursive: true });
  const walk = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)])) : []);
  for (const file of walk(roots[program]).filter((f) => f.endsWith('.jsonl'))) {
    const text = fs.readFileSync(file, 'utf8').split(cwd).join('/project').split(home).join('/home');
    fs.writeFileSync(path.join(out, path.basename(file)), text);
    console.log(`recorded ${file}`);
  }
}
