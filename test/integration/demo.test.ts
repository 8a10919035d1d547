/**
 * `superkick demo --headless`, the README's "see it work": one agent
 * supervised end to end (shell monitor → injection when idle → the agent's
 * goal signal through the real `superkick mcp` → goal met → notification),
 * with no AI CLI and no API key.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { Sandbox } from '../helpers/sandbox';

describe('superkick demo', () => {
  const sandbox = new Sandbox();
  after(() => sandbox.cleanup());

  it('runs the whole loop headless and exits 0 once the goal is met', async () => {
    const result = await sandbox.run(['demo', '--headless']);
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    const lines = result.stdout.split('\n');
    const order = [
      /kickoff prompt queued/,
      /a teammate's typo breaks greeting\.txt/,
      /goal met \(by agent\): greeting\.txt is fixed and \.\/check\.sh passes again\./,
      /notification \(goal_met\): ✅ demo-agent finished its goal/,
    ].map((pattern) => lines.findIndex((line) => pattern.test(line)));
    assert.ok(order.every((at) => at >= 0), result.stdout);
    assert.deepEqual([...order].sort((a, b) => a - b), order, `steps out of order:\n${result.stdout}`);

    const [agent] = await sandbox.list();
    assert.equal(agent.goal?.state, 'met');
    assert.equal(agent.goal?.decidedBy, 'agent');
    // The monitor's alert and all-clear went in as the agent's own turns, and it called the tool through superkick mcp.
    const log = await sandbox.runOk(['logs', '--plain', agent.id]);
    assert.match(log, /shell alert from check/);
    assert.match(log, /shell success from check/);
    assert.equal(fs.existsSync(agent.cwd), false, 'the demo project is removed once the goal is met');
  });
});
