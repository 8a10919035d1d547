/**
 * The Gemini API as Gemini CLI uses it: `:streamGenerateContent?alt=sse` for
 * the agent's turns (data-only server-sent events of GenerateContentResponse)
 * and `:generateContent` for its JSON side calls (model routing, next speaker).
 */
import type { ServerResponse } from 'node:http';
import { isAddedContext, offeredTool, sendEvent, startEventStream, type Reply, type Turn } from './reply';

interface Part { text?: string; functionResponse?: { name?: string; response?: unknown } }
interface Content { role?: string; parts?: Part[] }
interface Request { contents?: Content[]; tools?: Array<{ functionDeclarations?: Array<{ name?: string }> }> }

/** What every answer reports using (`promptTokenCount` includes the cached ones, as the real API counts them). */
export const GEMINI_USAGE = { promptTokenCount: 1300, cachedContentTokenCount: 600, candidatesTokenCount: 70, thoughtsTokenCount: 10, totalTokenCount: 1380 };
const usageMetadata = GEMINI_USAGE;

export function geminiTurn(body: Request): Turn | undefined {
  if (!body.tools?.length) return undefined;
  const last = [...(body.contents ?? [])].reverse().find((content) => content.role === 'user');
  const parts = last?.parts ?? [];
  const result = parts.find((part) => part.functionResponse);
  const userText = parts.filter((part) => part.text && !isAddedContext(part.text)).map((part) => part.text!).join('\n');
  return { vendor: 'gemini', userText, toolResult: Boolean(result), toolOutput: result ? JSON.stringify(result.functionResponse?.response) : '' };
}

export function answerGeminiStream(response: ServerResponse, reply: Reply, body: Request = {}): void {
  const offered = (body.tools ?? []).flatMap((tool) => tool.functionDeclarations ?? []).map((declaration) => declaration.name ?? '');
  const part =
    'text' in reply
      ? { text: reply.text }
      : 'tool' in reply
        ? { functionCall: { name: offeredTool(offered, reply.tool) ?? reply.tool, args: reply.input } }
        : { functionCall: { name: 'run_shell_command', args: { command: reply.command } } };
  startEventStream(response);
  sendEvent(response, { candidates: [{ content: { role: 'model', parts: [part] }, finishReason: 'STOP', index: 0 }], usageMetadata, modelVersion: 'fake-model' });
  response.end();
}

/** The side calls ask for JSON; one object answers both the router and the next-speaker check. */
export function answerGeminiJson(response: ServerResponse): void {
  const text = JSON.stringify({ reasoning: 'fake', model_choice: 'flash', next_speaker: 'user' });
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ candidates: [{ content: { role: 'model', parts: [{ text }] }, finishReason: 'STOP', index: 0 }], usageMetadata, modelVersion: 'fake-model' }));
}
