/** Prices and the cost ledger: prefix matching, overrides, unpriced models, totals per day and spawner, persistence. */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PriceTable, SHIPPED_PRICES_AS_OF } from '../../server/src/cost/pricing';
import { CostLedger, localDate, type CostChange, type CostedAgent } from '../../server/src/cost/costLedger';
import type { Logger } from '../../server/src/common/logger';
import type { TokenCounts } from '../../server/src/protocol/cost';

const dirs: string[] = [];
const tempFile = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sk-cost-'));
  dirs.push(dir);
  return path.join(dir, 'state', 'cost.json');
};

class RecordingLogger implements Logger {
  readonly warnings: string[] = [];
  readonly errors: string[] = [];
  error(_tag: string, message: string) { this.errors.push(message); }
  warn(_tag: string, message: string) { this.warnings.push(message); }
  info() {}
  debug() {}
}

const tokens = (input: number, output: number, cacheRead = 0, cacheWrite = 0): TokenCounts => ({ input, output, cacheRead, cacheWrite });
const MILLION = tokens(1_000_000, 1_000_000, 1_000_000, 1_000_000);

describe('price table', () => {
  it('ships dated prices and matches a model by its longest prefix', () => {
    assert.match(SHIPPED_PRICES_AS_OF, /^\d{4}-\d{2}-\d{2}$/);
    const table = new PriceTable();
    assert.deepEqual(table.priceOf('claude-sonnet-4-5-20250929'), { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 });
    assert.equal(table.priceOf('gpt-5-mini-2025-08-07')?.input, 0.25, 'gpt-5-mini, not gpt-5');
    assert.equal(table.priceOf('gpt-5-codex')?.input, 1.25);
    assert.equal(table.priceOf('gemini-2.5-flash-lite')?.input, 0.1, 'flash-lite, not flash');
    assert.equal(table.cost('claude-haiku-4-5', MILLION), 1 + 5 + 0.1 + 1.25);
  });

  it('has no price for an unknown model: undefined, never zero', () => {
    const table = new PriceTable();
    assert.equal(table.priceOf('llama-3-local'), undefined);
    assert.equal(table.cost('llama-3-local', tokens(10, 10)), undefined);
  });

  it('takes configured prices over shipped ones, with * patterns and cache prices defaulting to input', () => {
    const table = new PriceTable({ 'claude-sonnet-4': { input: 1, output: 2 }, 'my-*-model': { input: 0, output: 0 }, ignored: null });
    assert.deepEqual(table.priceOf('claude-sonnet-4-5'), { input: 1, output: 2, cacheRead: 1, cacheWrite: 1 });
    assert.equal(table.cost('my-local-model', MILLION), 0, 'a configured zero price is free, on purpose');
    assert.equal(table.priceOf('claude-opus-4-1')?.input, 15, 'shipped prices still apply to the rest');
  });
});

describe('cost ledger', () => {
  after(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  const agent = (id: string, spawner: string | null = null, workspace: string | null = null): CostedAgent => ({ id, name: `agent-${id}`, driver: 'claude', workspace, spawner });
  const open = (file: string, log = new RecordingLogger(), pricing?: ConstructorParameters<typeof PriceTable>[0]) => new CostLedger(file, () => new PriceTable(pricing), log);

  it('keeps the highest totals per model, so a report sent twice counts once', () => {
    const ledger = open(tempFile());
    const changes: CostChange[] = [];
    ledger.on('changed', (change) => changes.push(change));
    assert.equal(ledger.agent('a1'), null, 'nothing reported: unknown');
    assert.equal(ledger.record(agent('a1'), { 'claude-sonnet-4-5': tokens(1_000_000, 0) }), true);
    assert.equal(ledger.record(agent('a1'), { 'claude-sonnet-4-5': tokens(1_000_000, 0) }), false, 'the same totals again add nothing');
    assert.equal(ledger.record(agent('a1'), { 'claude-sonnet-4-5': tokens(500, 0) }), false, 'lower totals are ignored');
    ledger.record(agent('a1'), { 'claude-sonnet-4-5': tokens(2_000_000, 1_000_000) });
    const totals = ledger.agent('a1')!;
    assert.equal(totals.inputTokens, 2_000_000);
    assert.equal(totals.outputTokens, 1_000_000);
    assert.equal(totals.usd, 6 + 15);
    assert.deepEqual(totals.models, ['claude-sonnet-4-5']);
    assert.equal(changes.length, 2);
    assert.equal(changes[1].agentId, 'a1');
    assert.equal(changes[1].agent.usd, 21);
    assert.equal(changes[1].dayTotals.usd, 21);
  });

  it('knows an agent that has used nothing yet: zero, not unknown', () => {
    const ledger = open(tempFile());
    assert.equal(ledger.record(agent('fresh'), {}), true);
    assert.equal(ledger.agent('fresh')?.usd, 0);
    assert.equal(ledger.agent('fresh')?.inputTokens, 0);
  });

  it('sums per day (local date) and per spawner per day, on the day a report arrives', () => {
    const ledger = open(tempFile());
    const monday = new Date(2026, 10, 23, 23, 30);
    const tuesday = new Date(2026, 10, 24, 0, 30);
    ledger.record(agent('a1', 'gh-issues'), { 'gpt-5-codex': tokens(1_000_000, 0) }, monday);
    ledger.record(agent('a2', 'gh-issues'), { 'gpt-5-codex': tokens(0, 1_000_000) }, monday);
    ledger.record(agent('a3'), { 'gpt-5-codex': tokens(0, 1_000_000) }, monday);
    ledger.record(agent('a1', 'gh-issues'), { 'gpt-5-codex': tokens(3_000_000, 0) }, tuesday);
    assert.equal(localDate(monday), '2026-11-23');
    assert.equal(ledger.day('2026-11-23').usd, 1.25 + 10 + 10);
    assert.equal(ledger.day('2026-11-24').usd, 2.5, 'only what was added on Tuesday');
    assert.equal(ledger.spawnerDay('gh-issues', '2026-11-23').usd, 1.25 + 10);
    assert.equal(ledger.spawnerDay('gh-issues', '2026-11-24').usd, 2.5);
    assert.equal(ledger.agent('a1')!.usd, 3.75, 'the agent over its life');
    const rows = ledger.rows('2026-11-24');
    assert.deepEqual(rows.agents.map((row) => row.id), ['a1'], 'only agents that spent that day');
    assert.deepEqual(rows.days.map((row) => row.day), ['2026-11-24']);
    assert.deepEqual(rows.spawners.map((row) => [row.spawner, row.day]), [['gh-issues', '2026-11-24']]);
    assert.equal(ledger.rows().days.length, 2);
  });

  it('leaves an unknown model unpriced (null when nothing is priced) and warns once', () => {
    const log = new RecordingLogger();
    const ledger = open(tempFile(), log);
    ledger.record(agent('a1'), { 'mystery-1': tokens(100, 10) });
    assert.equal(ledger.agent('a1')!.usd, null);
    assert.deepEqual(ledger.agent('a1')!.unpricedModels, ['mystery-1']);
    assert.equal(ledger.agent('a1')!.inputTokens, 100, 'tokens still counted');
    ledger.record(agent('a1'), { 'mystery-1': tokens(200, 10), 'claude-sonnet-4': tokens(1_000_000, 0) });
    const totals = ledger.agent('a1')!;
    assert.equal(totals.usd, 3, 'the priced part');
    assert.deepEqual(totals.unpricedModels, ['mystery-1'], 'and what it leaves out');
    assert.equal(ledger.day(localDate(new Date())).unpricedModels.length, 1);
    assert.equal(log.warnings.length, 1);
    assert.match(log.warnings[0], /no price for model "mystery-1".*pricing:/);
  });

  it('prices with the agent workspace\'s configured table', () => {
    const file = tempFile();
    const ledger = new CostLedger(file, (workspace) => new PriceTable(workspace === '/w/cheap' ? { 'claude-': { input: 0.5, output: 1 } } : undefined), new RecordingLogger());
    ledger.record(agent('a1', null, '/w/cheap'), { 'claude-sonnet-4': tokens(1_000_000, 0) });
    ledger.record(agent('a2', null, '/w/other'), { 'claude-sonnet-4': tokens(1_000_000, 0) });
    assert.equal(ledger.agent('a1')!.usd, 0.5);
    assert.equal(ledger.agent('a2')!.usd, 3);
  });

  it('persists across a reload, and a repeated report after it adds nothing', () => {
    const file = tempFile();
    const first = open(file);
    first.record(agent('a1', 'sp'), { 'claude-sonnet-4': tokens(1_000_000, 1_000_000) });
    const reloaded = open(file);
    assert.deepEqual(reloaded.agent('a1'), first.agent('a1'));
    assert.equal(reloaded.record(agent('a1', 'sp'), { 'claude-sonnet-4': tokens(1_000_000, 1_000_000) }), false);
    assert.equal(reloaded.day(localDate(new Date())).usd, 18);
    assert.equal(reloaded.spawnerDay('sp', localDate(new Date())).usd, 18);
  });

  it('moves a corrupt ledger aside and starts empty, saying so', () => {
    const file = tempFile();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '{ not json');
    const log = new RecordingLogger();
    const ledger = open(file, log);
    assert.equal(ledger.agent('a1'), null);
    assert.match(log.errors.join('\n'), /corrupt/);
    assert.ok(fs.readdirSync(path.dirname(file)).some((name) => name.startsWith('cost.json.corrupt-')));
  });
});
