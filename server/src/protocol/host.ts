/**
 * Requests and notifications between clients (the CLI, the extension, the MCP
 * bridge) and the host, over the host socket (`$SUPERKICK_DIR/run/host.sock`).
 * Every connection must authenticate first.
 */
import { NotificationType, RequestType } from 'vscode-jsonrpc';
import type { AgentRecord, AgentSpec, ConfigStatus, ExternalOrigin, HeldBackEntry, WorkspaceInfo } from './types';

/**
 * Client → host. First message on every connection; the token is the user's (auth/) or an agent's own.
 * A user client names its workspace (the nearest folder up with superkick.yml or .git, else its
 * working directory): the host registers it and follows its configuration from then on.
 */
export namespace Authenticate {
  export const method = 'superkick/authenticate' as const;
  export interface Params { token: string; client: string; workspace?: string; }
  export interface Result { hostPid: number; hostVersion: string; principal: 'user' | 'agent'; agentId?: string; }
  export const type = new RequestType<Params, Result, void>(method);
}

/** Client → host. Allocate an agent id and token; the caller then starts the agent process. */
export namespace CreateAgent {
  export const method = 'superkick/agents/create' as const;
  export type Params = AgentSpec;
  /** `spec` is the one to start the agent process with: its name made unique, its workspace resolved, its driver override filled in. */
  export interface Result { id: string; token: string; attachSocket: string; spec: AgentSpec; }
  export const type = new RequestType<Params, Result, void>(method);
}

/** Client → host. Every agent the principal may see. */
export namespace ListAgents {
  export const method = 'superkick/agents/list' as const;
  export interface Params { includeExited?: boolean; }
  export type Result = AgentRecord[];
  export const type = new RequestType<Params, Result, void>(method);
}

/** Client → host. Find one agent by id or unique name; gives what a viewer needs to attach. */
export namespace ResolveAgent {
  export const method = 'superkick/agents/resolve' as const;
  export interface Params { agent: string; }
  export interface Result {
    record: AgentRecord;
    /** Token the agent's attach socket accepts (present while the agent is alive). */
    attachToken: string | null;
    /** Serialized final screen of an exited agent. */
    finalScreen: string | null;
  }
  export const type = new RequestType<Params, Result, void>(method);
}

/**
 * Client → host. Give an agent text. It joins the agent's injection queue and
 * is typed in when the driver says the agent is idle (never while a prompt is
 * waiting), highest priority first, then in arrival order; `now` types it at
 * once instead. With `external`, the text is outside content: the host
 * sanitizes it and frames it with its origin first.
 */
export namespace InjectAgent {
  export const method = 'superkick/agents/inject' as const;
  export interface Params {
    agent: string;
    text: string;
    submit: boolean;
    external?: ExternalOrigin;
    now?: boolean;
    /** Higher goes first; default 0. */
    priority?: number;
    /** A queued message with the same key is replaced, so a repeated event is delivered once. */
    dedupeKey?: string;
    /** Dropped if still undelivered after this long. */
    expiresInMs?: number;
    /** Who queued it (a person, a monitor). */
    source?: string;
  }
  export interface Result { id: string; queued: boolean; messageId: string | null; position: number | null; bytes: number | null; }
  export const type = new RequestType<Params, Result, void>(method);
}

export interface QueuedMessage {
  id: string;
  agentId: string;
  text: string;
  submit: boolean;
  source: string;
  priority: number;
  dedupeKey: string | null;
  createdAt: string;
  expiresAt: string | null;
  /** Arrival order, across restarts. */
  seq: number;
}

/** Client → host. An agent's undelivered messages, in delivery order. */
export namespace ListQueue {
  export const method = 'superkick/agents/queue' as const;
  export interface Params { agent: string; }
  export type Result = QueuedMessage[];
  export const type = new RequestType<Params, Result, void>(method);
}

/** Client → host. End an agent; resolves once it has exited. */
export namespace StopAgent {
  export const method = 'superkick/agents/stop' as const;
  export interface Params { agent: string; force?: boolean; }
  export type Result = AgentRecord;
  export const type = new RequestType<Params, Result, void>(method);
}

/** Client → host. The agent's retained output log, oldest first. */
export namespace AgentLog {
  export const method = 'superkick/agents/log' as const;
  export interface Params { agent: string; maxBytes?: number; }
  export interface Result { id: string; base64: string; truncated: boolean; }
  export const type = new RequestType<Params, Result, void>(method);
}

/** Client → host. Start or stop an asciicast recording of a live agent. */
export namespace RecordAgent {
  export const method = 'superkick/agents/record' as const;
  export interface Params { agent: string; stop?: boolean; path?: string; }
  export interface Result { id: string; path: string | null; }
  export const type = new RequestType<Params, Result, void>(method);
}

/** Client → host. Forget exited agents (all, or the named one). */
export namespace PruneAgents {
  export const method = 'superkick/agents/prune' as const;
  export interface Params { agent?: string; }
  export interface Result { removed: string[]; }
  export const type = new RequestType<Params, Result, void>(method);
}

/** Client → host. Receive AgentsChanged from now on. */
export namespace WatchAgents {
  export const method = 'superkick/agents/watch' as const;
  export type Params = Record<string, never>;
  export type Result = AgentRecord[];
  export const type = new RequestType<Params, Result, void>(method);
}

/** Host → client (after WatchAgents). One agent's record changed. */
export namespace AgentsChanged {
  export const method = 'superkick/agents/changed' as const;
  export interface Params { record: AgentRecord; removed?: boolean; }
  export const type = new NotificationType<Params>(method);
}

/**
 * Client → host. Stop the host; agents keep running. A notification: the host
 * answers by closing every connection, which is how the client knows it is done.
 */
export namespace ShutdownHost {
  export const method = 'superkick/host/shutdown' as const;
  export type Params = Record<string, never>;
  export const type = new NotificationType<Params>(method);
}

/**
 * Client → host. Read a workspace's configuration again (and the user's) and say how it stands:
 * errors with their places, and which entries are held back by workspace trust. Without
 * `workspace`, the one this connection named when it authenticated.
 */
export namespace ConfigCheck {
  export const method = 'superkick/config/check' as const;
  export interface Params { workspace?: string; }
  export type Result = ConfigStatus;
  export const type = new RequestType<Params, Result, void>(method);
}

/** Client → host. The configuration in force for a workspace, merged, with secrets masked. */
export namespace ConfigShow {
  export const method = 'superkick/config/show' as const;
  export interface Params { workspace?: string; }
  export interface Result { status: ConfigStatus; config: Record<string, unknown>; }
  export const type = new RequestType<Params, Result, void>(method);
}

/** Client → host. Receive ConfigChanged from now on; answers with every scope's status. */
export namespace WatchConfig {
  export const method = 'superkick/config/watch' as const;
  export type Params = Record<string, never>;
  export type Result = ConfigStatus[];
  export const type = new RequestType<Params, Result, void>(method);
}

/**
 * Host → client (after WatchConfig). A scope's configuration was read again and something
 * changed: sections that went live (`sections`), or the errors and held-back entries.
 */
export namespace ConfigChanged {
  export const method = 'superkick/config/changed' as const;
  export interface Params { status: ConfigStatus; sections: string[]; }
  export const type = new NotificationType<Params>(method);
}

/** Client → host. Every registered workspace. */
export namespace ListWorkspaces {
  export const method = 'superkick/workspaces/list' as const;
  export type Params = Record<string, never>;
  export type Result = WorkspaceInfo[];
  export const type = new RequestType<Params, Result, void>(method);
}

/** Client → host. Forget a workspace (and its trust); its configuration stops applying. */
export namespace RemoveWorkspace {
  export const method = 'superkick/workspaces/remove' as const;
  export interface Params { workspace: string; }
  export interface Result { removed: string | null; }
  export const type = new RequestType<Params, Result, void>(method);
}

/**
 * Client → host. Trust what a workspace's superkick.yml would run, as it is written now (or,
 * with `revoke`, trust none of it). Entries changed later are held back again.
 */
export namespace TrustWorkspace {
  export const method = 'superkick/workspaces/trust' as const;
  export interface Params { workspace: string; revoke?: boolean; }
  export interface Result { workspace: string; trusted: HeldBackEntry[]; revoked: boolean; }
  export const type = new RequestType<Params, Result, void>(method);
}
