/** The host's MCP routes with real stores and a real bus (no socket): what ask_human publishes for notifiers, and how an answer is queued. */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Mcp, type AgentRecord, type SupervisionEvent } from '../../server/src/protocol';
import { registerMcpRoutes } from '../../server/src/host/routes/mcp';
import type { SessionRoutes } from '../../server/src/host/routes/sessionRoutes';
import type { HostContext } from '../../server/src/host/hostContext';
import { SupervisionBus } from '../../server/src/supervisor/supervisionBus';
import { QuestionStore } from '../../server/src/supervisor/questionStore';
import { TeamStore } from '../../server/src/team/teamStore';
import type { Logger } from '../../server/src/common/logger';

const quiet: Logger = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };

function harness() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sk-routes-'));
  const handlers = new Map<string, { kind: 'agent' | 'user'; handler: (params: unknown, who: unknown) => unknown }>();
  const routes = {
    agentRequest: (type: { method: string }, handler: never) => handlers.set(type.method, { kind: 'agent', handler }),
    userRequest: (type: { method: string }, handler: never) => handlers.set(type.method, { kind: 'user', handler }),
  } as unknown as SessionRoutes;
  const record = { id: 'a1', name: 'fixer', state: 'working', workspace: '/ws' } as AgentRecord;
  const queued: Array<{ agentId: string; params: Record<string, unknown> }> = [];
  const events: SupervisionEvent[] = [];
  const bus = new SupervisionBus();
  bus.on('event', (event) => events.push(event));
  const ctx = {
    registry: { record: (id: string) => (id === record.id ? record : assert.fail(`no agent ${id}`)), setProgress: () => undefined },
    queue: { enqueue: (agentId: string, params: Record<string, unknown>) => (queued.push({ agentId, params }), { message: { id: 'm1' }, position: 1 }), agentChanged: () => undefined },
    bus,
    questions: new QuestionStore(path.join(dir, 'questions.json'), quiet),
    teams: new TeamStore(path.join(dir, 'teams'), quiet),
    log: quiet,
  } as unknown as HostContext;
  registerMcpRoutes(routes, ctx);
  const agentCall = (method: string, params: unknown) => {
    const route = handlers.get(method)!;
    assert.equal(route.kind, 'agent', `${method} is for agents only`);
    return route.handler(params, 'a1');
  };
  const userCall = (method: string, params: unknown) => {
    const route = handlers.get(method)!;
    assert.equal(route.kind, 'user', `${method} is for the user only`);
    return route.handler(params, { kind: 'user', workspace: null });
  };
  return { dir, agentCall, userCall, queued, events };
}

describe('MCP routes', () => {
  const h = harness();
  after(() => fs.rmSync(h.dir, { recursive: true, force: true }));

  it('ask_human publishes question_asked, keyed by the question id, with its choices', () => {
    const question = h.agentCall(Mcp.AskHuman.method, { question: 'Merge now?', choices: ['yes', 'no'] }) as Mcp.Question;
    assert.deepEqual(
      h.events.map(({ id, type, agentId, workspace, summary, details }) => ({ id, type, agentId, workspace, summary, details })),
      [{ id: `question_asked:${question.id}`, type: 'question_asked', agentId: 'a1', workspace: '/ws', summary: 'Merge now?', details: { questionId: question.id, choices: ['yes', 'no'] } }],
    );
  });

  it("an answer is queued for the agent that asked, framed as a person's answer to that question", () => {
    const [question] = h.userCall(Mcp.ListQuestions.method, {}) as Mcp.Question[];
    h.userCall(Mcp.AnswerQuestion.method, { questionId: question.id, text: 'yes, merge' });
    assert.deepEqual(h.queued, [
      {
        agentId: 'a1',
        params: { text: `A person answered your question ${question.id} (asked with superkick_ask_human: "Merge now?"):\nyes, merge`, submit: true, source: 'person', dedupeKey: `answer:${question.id}` },
      },
    ]);
  });

  it('checks every argument again on the host, whatever the MCP server let through', () => {
    for (const [method, params, message] of [
      [Mcp.SignalGoal.method, { status: 'done', summary: 'x' }, /status must be "completed" or "failed", not "done"/],
      [Mcp.SignalGoal.method, { status: 'completed', summary: '  ' }, /summary must be a non-empty string/],
      [Mcp.ReportProgress.method, { message: 'x', percent: -1 }, /percent must be a number from 0 to 100, not -1/],
      [Mcp.AskHuman.method, { question: 'q', choices: Array(11).fill('c') }, /at most 10 choices, not 11/],
      [Mcp.TeamLogPost.method, { message: 'x', kind: 'rumour' }, /kind must be one of message, decision, status, not "rumour"/],
      [Mcp.TeamLogRead.method, { limit: 501 }, /limit must be a whole number from 1 to 500, not 501/],
      [Mcp.ArtifactPut.method, { name: 'ok.txt', content: 42 }, /content must be a string/],
    ] as const) {
      assert.throws(() => h.agentCall(method, params), message, `${method} ${JSON.stringify(params)}`);
    }
  });
});
