/**
 * The whole supervision loop with the real CLIs from npm (Claude Code, Codex,
 * Gemini), inside a loopback-only network namespace like realCliLoop: each is
 * launched under Superkick, which hands it `superkick mcp`; the fake model
 * server, told so in the prompt, calls the Superkick signal-goal tool by the
 * name that CLI shows its model; the agent's goal is met with the summary, the
 * call is in the MCP server's own record, and no permission prompt ever came
 * up (Superkick's tools are pre-allowed).
 */
import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { Host } from '../../server/src/protocol';
import { TestViewer } from '../helpers/testViewer';
import { ViewerScreen } from '../helpers/viewerScreen';
import { HostWatch } from '../helpers/hostWatch';
import { describeWithRealClis, RealCliWorld } from '../helpers/realCliWorld';
import { FakeModelServer } from '../fakes/models/fakeModelServer';
import type { Turn } from '../fakes/models/reply';
import { readCallLog } from '../../server/src/mcp/callLog';

/** Real CLIs take seconds to start and to answer; these are deadlines for events, not timings. */
const CLI_DEADLINE_MS = 120_000;

const ALL_CLIS: Array<{ program: string; vendor: Turn['vendor']; ready?: RegExp }> = [
  { program: 'claude', vendor: 'anthropic' },
  { program: 'codex', vendor: 'openai' },
  // Gemini shows its input box before its MCP servers are connected, and text typed meanwhile is lost: wait for the footer to count ours.
  { program: 'gemini', vendor: 'gemini', ready: /1 MCP server/ },
];
/** SUPERKICK_TEST_CLIS=codex,gemini runs only those (while working on one). */
const CLIS = ALL_CLIS.filter(({ program }) => !process.env.SUPERKICK_TEST_CLIS || process.env.SUPERKICK_TEST_CLIS.split(',').includes(program));

describeWithRealClis('real agent CLIs signal their goal through superkick mcp', __filename, () => {
  const world = new RealCliWorld('skrm');
  const { sandbox } = world;
  let fake: FakeModelServer;
  let watch: HostWatch;
  let env: NodeJS.ProcessEnv;
  before(() => ({ fake, watch, env } = world));

  /** Waits until the agent's screen (as a read-only viewer sees it) matches `pattern`. */
  const waitForScreen = async (id: string, pattern: RegExp) => {
    const resolved = await watch.connection.sendRequest(Host.ResolveAgent.type, { agent: id });
    const viewer = await TestViewer.connect(resolved.record.attachSocket!, resolved.attachToken!, { cols: 120, rows: 40 }, true);
    const screen = new ViewerScreen(viewer, 120, 40);
    try {
      await screen.until(pattern, `the screen to show ${pattern}`, CLI_DEADLINE_MS);
    } finally {
      screen.close();
      viewer.close();
    }
  };


  if (CLIS.some(({ program }) => program === 'claude')) {
    it("claude: a prompt on the command line still arrives after the hand-off's options (they take lists, so they are given as --opt=value)", async () => {
      const from = fake.turns.length;
      const id = await sandbox.startAgent(['claude', 'Prompt-arg, please answer.'], ['--name', 'claude-prompt'], { env });
      try {
        const turn = await fake.turn('anthropic', (t) => t.userText.includes('Prompt-arg'), 'the prompt from the command line', from);
        assert.equal(turn.userText.trim(), 'Prompt-arg, please answer.');
        assert.deepEqual(watch.agents.get(id)?.args, ['Prompt-arg, please answer.'], 'list shows what the user typed');
      } finally {
        await sandbox.run(['stop', id, '--force'], { env });
      }
    });
  }

  for (const { program, vendor, ready } of CLIS) {
    it(`${program}: the model calls superkick_signal_goal and the goal is met, with no permission prompt`, async () => {
      const id = await sandbox.startAgent([program], ['--name', `${program}-mcp`], { env });
      try {
        await watch.until(id, (r) => r.state === 'idle', 'idle after start-up', CLI_DEADLINE_MS);
        if (ready) await waitForScreen(id, ready);
        const summary = `MCP-GOAL-${program}: the work is done`;
        const from = fake.turns.length;
        await sandbox.runOk(['inject', id, `CALL-TOOL: superkick_signal_goal ${JSON.stringify({ status: 'completed', summary })}`], { env });
        const record = await watch.until(id, (r) => r.goal?.state === 'met', 'goal met through the MCP tool', CLI_DEADLINE_MS).catch(async (error: Error) => {
          // What the CLI showed says why (a tool it did not offer, a prompt, an error from the server).
          const screen = (await sandbox.run(['logs', id, '--plain'], { env })).stdout.slice(-3000);
          throw new Error(`${error.message}\nturns: ${JSON.stringify(fake.turns.slice(from))}\nscreen:\n${screen}`);
        });
        assert.equal(record.goal?.summary, summary);
        assert.equal(record.goal?.decidedBy, 'agent');
        // The CLI hands the tool's answer back to the model: the call went through the CLI, not around it.
        const result = await fake.turn(vendor, (t) => t.toolResult, 'the tool result sent back to the model', from);
        assert.match(result.toolOutput, /goal met/);
        const calls = readCallLog(path.join(sandbox.dir, 'state', 'agents', id, 'mcp-calls.jsonl'));
        assert.deepEqual(calls.map((c) => [c.tool, c.ok, c.arguments]), [['superkick_signal_goal', true, { status: 'completed', summary }]]);
        await watch.until(id, (r) => r.state === 'idle', 'idle after the turn', CLI_DEADLINE_MS);
        assert.ok(!watch.states.get(id)!.includes('waiting'), `never waiting on a permission prompt: ${watch.states.get(id)!.join(' → ')}`);
      } finally {
        await sandbox.run(['stop', id, '--force'], { env });
      }
    });
  }
});
