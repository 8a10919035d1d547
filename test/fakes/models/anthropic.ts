/**
 * The Anthropic Messages API as Claude Code uses it: `POST /v1/messages`
 * streamed as server-sent events (message_start, content_block_*,
 * message_delta, message_stop), or one JSON message when `stream` is off.
 */
import type { ServerResponse } from 'node:http';
import { isAddedContext, offeredTool, sendEvent, startEventStream, type Reply, type Turn } from './reply';

interface Block { type: string; text?: string; content?: unknown }
interface Message { role: string; content: string | Block[] }
interface Request { model?: string; stream?: boolean; tools?: Array<{ name?: string }>; messages?: Message[] }

let serial = 0;

/** What every answer reports using, distinct per field so a test can tell them apart (cost tests read them back from the CLI's own files). */
export const ANTHROPIC_USAGE = { input_tokens: 1200, output_tokens: 57, cache_creation_input_tokens: 300, cache_read_input_tokens: 4000 };

export function anthropicTurn(body: Request): Turn | undefined {
  // Side requests (titles, topic checks) carry no tools; only the agent loop's turns count.
  if (!body.tools?.length) return undefined;
  const user = [...(body.messages ?? [])].reverse().find((message) => message.role === 'user');
  const blocks: Block[] = typeof user?.content === 'string' ? [{ type: 'text', text: user.content }] : (user?.content ?? []);
  const result = blocks.find((block) => block.type === 'tool_result');
  const texts = blocks.filter((block) => block.type === 'text' && block.text && !isAddedContext(block.text)).map((block) => block.text!);
  return { vendor: 'anthropic', userText: texts.join('\n'), toolResult: Boolean(result), toolOutput: result ? JSON.stringify(result.content) : '' };
}

export function answerAnthropic(response: ServerResponse, body: Request, reply: Reply): void {
  const id = `msg_fake${++serial}`;
  const model = body.model ?? 'fake-model';
  const usage = ANTHROPIC_USAGE;
  const block =
    'text' in reply
      ? { type: 'text', text: reply.text }
      : 'tool' in reply
        ? { type: 'tool_use', id: `toolu_fake${serial}`, name: offeredTool((body.tools ?? []).map((t) => t.name ?? ''), reply.tool) ?? reply.tool, input: reply.input }
        : { type: 'tool_use', id: `toolu_fake${serial}`, name: 'Bash', input: { command: reply.command, description: 'Run a command' } };
  const stopReason = 'text' in reply ? 'end_turn' : 'tool_use';
  if (!body.stream) {
    response.writeHead(200, { 'content-type': 'application/json', 'request-id': `req_fake${serial}` });
    response.end(JSON.stringify({ id, type: 'message', role: 'assistant', model, content: [block], stop_reason: stopReason, stop_sequence: null, usage }));
    return;
  }
  startEventStream(response);
  sendEvent(response, { type: 'message_start', message: { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } } }, 'message_start');
  if ('text' in reply) {
    sendEvent(response, { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }, 'content_block_start');
    sendEvent(response, { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: reply.text } }, 'content_block_delta');
  } else {
    sendEvent(response, { type: 'content_block_start', index: 0, content_block: { ...block, input: {} } }, 'content_block_start');
    sendEvent(response, { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: JSON.stringify((block as { input: unknown }).input) } }, 'content_block_delta');
  }
  sendEvent(response, { type: 'content_block_stop', index: 0 }, 'content_block_stop');
  sendEvent(response, { type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage: { ...usage } }, 'message_delta');
  sendEvent(response, { type: 'message_stop' }, 'message_stop');
  response.end();
}
