/**
 * How a part of the host serves protocol methods on a client connection. A
 * part puts its handlers in one file under `host/routes/` and lists it in
 * `routes/index.ts`; the session does authentication and who-may-do-what.
 */
import type { MessageConnection, NotificationType, RequestType } from 'vscode-jsonrpc';

/** Who is asking: the user (CLI, VS Code) with the workspace it named, or one agent (its MCP bridge or agent process). */
export type Caller = { kind: 'user'; workspace: string | null } | { kind: 'agent'; id: string };

export interface SessionRoutes {
  readonly connection: MessageConnection;
  /** A request any authenticated caller may make; an agent is limited to itself by the handler (see `visibleAgent`). */
  request<P, R, E>(type: RequestType<P, R, E>, handler: (params: P, caller: Caller) => R | Promise<R>): void;
  /** A request only the user may make. */
  userRequest<P, R, E>(type: RequestType<P, R, E>, handler: (params: P, caller: Caller & { kind: 'user' }) => R | Promise<R>): void;
  /** A request only an agent's token may make; the handler gets that agent's id. */
  agentRequest<P, R, E>(type: RequestType<P, R, E>, handler: (params: P, agentId: string) => R | Promise<R>): void;
  /** A notification only the user may send. */
  userNotification<P>(type: NotificationType<P>, handler: (params: P) => void): void;
  /** Called when the connection closes (to drop watchers). */
  onClose(listener: () => void): void;
}

/** The agent an agent caller is limited to; undefined for the user (who may see every agent). */
export function visibleAgent(caller: Caller): string | undefined {
  return caller.kind === 'agent' ? caller.id : undefined;
}
