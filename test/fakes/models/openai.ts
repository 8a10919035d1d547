/**
 * The OpenAI Responses API as Codex uses it: `POST /v1/responses`, streamed as
 * named server-sent events that must end with `response.completed`.
 */
import type { ServerResponse } from 'node:http';
import { isAddedContext, offeredTool, sendEvent, startEventStream, type Reply, type Turn } from './reply';

interface Item { type?: string; role?: string; content?: Array<{ type: string; text?: string }> | string; output?: unknown }
interface Tool { type?: string; name?: string; function?: { name?: string }; parameters?: { properties?: Record<string, unknown> }; tools?: Tool[] }
interface Request { model?: string; input?: Item[]; tools?: Tool[] }

let serial = 0;

/** What every answer reports using (`input_tokens` includes the cached ones, as the real API counts them). */
export const OPENAI_USAGE = { input_tokens: 1500, input_tokens_details: { cached_tokens: 1000 }, output_tokens: 64, output_tokens_details: { reasoning_tokens: 16 }, total_tokens: 1564 };

export function openaiTurn(body: Request): Turn | undefined {
  // The tool-less request Codex sends for a session title is not a turn of the agent.
  if (!body.tools?.length) return undefined;
  const input = body.input ?? [];
  const lastUser = input.map((item, index) => ({ item, index })).filter(({ item }) => item.role === 'user' && textOf(item).some((text) => !isAddedContext(text))).pop();
  const after = lastUser ? input.slice(lastUser.index + 1) : input;
  const result = after.filter((item) => item.type === 'function_call_output').pop();
  const userText = lastUser ? textOf(lastUser.item).filter((text) => !isAddedContext(text)).join('\n') : '';
  return { vendor: 'openai', userText, toolResult: Boolean(result), toolOutput: result ? JSON.stringify(result.output) : '' };
}

function textOf(item: Item): string[] {
  if (typeof item.content === 'string') return [item.content];
  return (item.content ?? []).filter((part) => part.text !== undefined).map((part) => part.text!);
}

/**
 * Codex names its shell tool differently across versions; answer with the one
 * this request offers, asking to run outside the sandbox where the tool
 * allows it — which Codex puts to the person first (a permission prompt).
 */
function shellCall(body: Request, command: string): { name: string; arguments: string } {
  const tools = body.tools ?? [];
  const names = tools.map((tool) => tool.name ?? tool.function?.name ?? '');
  const exec = tools.find((tool) => tool.name === 'exec_command');
  if (exec) {
    const escalate = exec.parameters?.properties?.sandbox_permissions ? { sandbox_permissions: 'require_escalated', justification: 'The test asks for it' } : {};
    return { name: 'exec_command', arguments: JSON.stringify({ cmd: command, ...escalate }) };
  }
  if (names.includes('shell_command')) return { name: 'shell_command', arguments: JSON.stringify({ command }) };
  return { name: 'shell', arguments: JSON.stringify({ command: ['bash', '-lc', command] }) };
}

/** A named tool, looked for among the plain tools and inside tool namespaces (Codex offers MCP servers as `mcp__<server>` namespaces). */
function namedCall(body: Request, wanted: string, input: Record<string, unknown>): { name: string; namespace?: string; arguments: string } {
  const args = JSON.stringify(input);
  for (const tool of body.tools ?? []) {
    if (tool.type !== 'namespace') continue;
    const name = offeredTool((tool.tools ?? []).map((t) => t.name ?? ''), wanted);
    if (name) return { name, namespace: tool.name, arguments: args };
  }
  return { name: offeredTool((body.tools ?? []).map((t) => t.name ?? t.function?.name ?? ''), wanted) ?? wanted, arguments: args };
}

export function answerOpenai(response: ServerResponse, body: Request, reply: Reply): void {
  const id = `resp_fake${++serial}`;
  const model = body.model ?? 'fake-model';
  const usage = OPENAI_USAGE;
  startEventStream(response);
  sendEvent(response, { type: 'response.created', response: { id, object: 'response', model, status: 'in_progress', output: [] } }, 'response.created');
  let item: Record<string, unknown>;
  if ('text' in reply) {
    const itemId = `msg_fake${serial}`;
    sendEvent(response, { type: 'response.output_item.added', output_index: 0, item: { type: 'message', id: itemId, role: 'assistant', status: 'in_progress', content: [] } }, 'response.output_item.added');
    sendEvent(response, { type: 'response.output_text.delta', item_id: itemId, output_index: 0, content_index: 0, delta: reply.text }, 'response.output_text.delta');
    item = { type: 'message', id: itemId, role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: reply.text, annotations: [] }] };
  } else {
    const call = 'tool' in reply ? namedCall(body, reply.tool, reply.input) : shellCall(body, reply.command);
    item = { type: 'function_call', id: `fc_fake${serial}`, call_id: `call_fake${serial}`, status: 'completed', ...call };
  }
  sendEvent(response, { type: 'response.output_item.done', output_index: 0, item }, 'response.output_item.done');
  sendEvent(response, { type: 'response.completed', response: { id, object: 'response', model, status: 'completed', output: [item], usage } }, 'response.completed');
  response.end();
}
