/**
 * What the fake model answers, decided from the turn it was sent: the tests
 * steer it with words in their prompts, as a person would steer a model.
 */

/** One model turn as the fake saw it, whatever the vendor's wire format. */
export interface Turn {
  vendor: 'anthropic' | 'openai' | 'gemini';
  /** The text of the last message a person (or Superkick) typed; outside markup the CLI adds is left out. */
  userText: string;
  /** Whether this turn carries the result of a tool call the fake asked for. */
  toolResult: boolean;
  /** The tool result's text, when there is one. */
  toolOutput: string;
}

/** A text answer, a shell command (the CLI's own shell tool), or a call of a named tool the CLI offers (an MCP tool, say) with JSON input. */
export type Reply = { text: string } | { command: string } | { tool: string; input: Record<string, unknown> };

/**
 * `RUN-TOOL: <command>` in a prompt asks for that shell command;
 * `CALL-TOOL: <name> <json object>` for a call of the offered tool named
 * `<name>` (or ending in `_<name>`, as CLIs prefix MCP tools); anything else
 * gets a text answer naming the prompt's first word.
 */
export function replyTo(turn: Turn): Reply {
  if (turn.toolResult) return { text: 'FAKE-TOOL-DONE' };
  const call = /CALL-TOOL: (\S+) (\{.*\})/.exec(turn.userText);
  if (call) return { tool: call[1], input: JSON.parse(call[2]) as Record<string, unknown> };
  const command = /RUN-TOOL: (.+)/.exec(turn.userText)?.[1];
  if (command) return { command: command.trim() };
  const word = /[A-Za-z0-9-]+/.exec(turn.userText)?.[0] ?? 'nothing';
  return { text: `FAKE-REPLY to ${word}` };
}

/** Writes one server-sent event; `event` is omitted for vendors that send data lines only. */
export function sendEvent(response: import('node:http').ServerResponse, data: unknown, event?: string): void {
  response.write(`${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`);
}

export function startEventStream(response: import('node:http').ServerResponse): void {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
}

/** Text a CLI wraps in angle-bracket markup (`<system-reminder>`, `<environment_context>`) is context it added, not what was typed. */
export function isAddedContext(text: string): boolean {
  return /^\s*<[a-z_-]+>/i.test(text);
}

/** The name among `offered` that a scripted call of `wanted` means: itself, or a prefixed form of it (`mcp__server__wanted`). */
export function offeredTool(offered: string[], wanted: string): string | undefined {
  return offered.find((name) => name === wanted) ?? offered.find((name) => name.endsWith(`_${wanted}`));
}
