/**
 * The host side of `superkick mcp`: each MCP tool arrives here as an agent
 * request, so only an agent's own token can call it and the agent's id comes
 * from that token (never from the arguments) — an agent acts only on itself
 * and on its own team's store. Also the user's side of questions: list and answer.
 */
import { ResponseError } from 'vscode-jsonrpc';
import { ErrorCode, Mcp } from '../../protocol';
import { teamOfAgent, requireText } from '../../team/teamStore';
import type { RegisterRoutes } from './index';

/** A goal summary or a progress note is a few lines for people, not a report. */
const SUMMARY_CHARS = 8_000;
const PROGRESS_CHARS = 1_000;

export const registerMcpRoutes: RegisterRoutes = (routes, ctx) => {
  const { registry } = ctx;

  routes.agentRequest(Mcp.SignalGoal.type, (params, agentId) => {
    const status = params?.status;
    if (status !== 'completed' && status !== 'failed') throw new ResponseError(ErrorCode.InvalidParams, `status must be "completed" or "failed", not ${JSON.stringify(status)}`);
    const summary = requireText(params.summary, 'summary', SUMMARY_CHARS);
    return ctx.goals.signal(agentId, status, summary);
  });

  routes.agentRequest(Mcp.ReportProgress.type, (params, agentId) => {
    const message = requireText(params?.message, 'message', PROGRESS_CHARS);
    const percent = params.percent ?? null;
    if (percent !== null && (typeof percent !== 'number' || !Number.isFinite(percent) || percent < 0 || percent > 100)) {
      throw new ResponseError(ErrorCode.InvalidParams, `percent must be a number from 0 to 100, not ${JSON.stringify(percent)}`);
    }
    registry.record(agentId); // a clear error for an agent the host no longer knows
    const progress: Mcp.AgentProgress = { message, percent, at: new Date().toISOString() };
    registry.setProgress(agentId, progress);
    return { progress };
  });

  routes.agentRequest(Mcp.AskHuman.type, (params, agentId) => {
    const record = registry.record(agentId);
    const question = ctx.questions.ask(record, params?.question, params?.choices);
    ctx.log.info('host.questions', `agent ${agentId} asked ${question.id}: ${question.question.split('\n')[0]}`);
    ctx.bus.publish('question_asked', question.id, {
      agentId,
      workspace: record.workspace,
      summary: question.question,
      details: { questionId: question.id, choices: question.choices },
    });
    return question;
  });

  routes.agentRequest(Mcp.TeamLogRead.type, (params, agentId) => {
    const teamId = teamOfAgent(agentId);
    return { teamId, ...ctx.teams.read(teamId, { limit: params?.limit, since: params?.since }) };
  });

  routes.agentRequest(Mcp.TeamLogPost.type, (params, agentId) => {
    const record = registry.record(agentId);
    return ctx.teams.post(teamOfAgent(agentId), { agentId, agentName: record.name, kind: params?.kind, message: params?.message });
  });

  routes.agentRequest(Mcp.ArtifactPut.type, (params, agentId) => ctx.teams.putArtifact(teamOfAgent(agentId), params?.name, params?.content));

  routes.agentRequest(Mcp.ArtifactGet.type, (params, agentId) => ctx.teams.getArtifact(teamOfAgent(agentId), params?.name));

  routes.userRequest(Mcp.ListQuestions.type, (params) => ctx.questions.list({ all: Boolean(params?.all) }));

  routes.userRequest(Mcp.AnswerQuestion.type, (params) => {
    const question = ctx.questions.get(params?.questionId);
    const record = registry.record(question.agentId);
    if (record.state === 'exited') throw new ResponseError(ErrorCode.AgentGone, `agent ${record.id} (${record.name}), which asked ${question.id}, has exited; the answer cannot reach it`);
    const answered = ctx.questions.answer(question.id, params.text);
    const { message, position } = ctx.queue.enqueue(record.id, { text: answerText(answered), submit: true, source: 'person', dedupeKey: `answer:${answered.id}` });
    ctx.queue.agentChanged(registry.record(record.id));
    ctx.log.info('host.questions', `${answered.id} answered; queued for agent ${record.id}`);
    return { question: answered, messageId: message.id, position };
  });
};

/** How the answer reads when it is typed into the agent: it must know whose words these are and what they answer. */
export function answerText(question: Mcp.Question): string {
  const asked = question.question.replace(/\s+/g, ' ').trim();
  const shown = asked.length > 200 ? `${asked.slice(0, 199)}…` : asked;
  return `A person answered your question ${question.id} (asked with superkick_ask_human: "${shown}"):\n${question.answer}`;
}
