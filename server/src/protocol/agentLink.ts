/**
 * Messages between an agent process and the host, on the host socket, after
 * the agent process has authenticated with its own agent token.
 */
import { NotificationType, RequestType } from 'vscode-jsonrpc';
import type { AgentSpec, AgentState } from './types';

/** Agent process → host. Sent on every (re)connection. */
export namespace RegisterAgent {
  export const method = 'superkick/agent/register' as const;
  export interface Params {
    id: string;
    spec: AgentSpec;
    pid: number;
    childPid: number | null;
    state: AgentState;
    viewers: number;
    attachSocket: string;
    recording: string | null;
    createdAt: string;
    /** When it entered `state` (ISO); a restarted host learns from it how long an episode has lasted. */
    stateSince?: string;
  }
  export const type = new RequestType<Params, void, void>(method);
}

/** Agent process → host. Its state, viewer count or recording changed. */
export namespace AgentStatus {
  export const method = 'superkick/agent/status' as const;
  export interface Params { state: AgentState; viewers: number; recording: string | null; stateSince?: string; }
  export const type = new NotificationType<Params>(method);
}

/** Agent process → host. The program in the pty has exited and its output is drained. */
export namespace AgentExited {
  export const method = 'superkick/agent/exited' as const;
  export interface Params { exitCode: number | null; signal: number | null; finalScreen: string; exitedAt: string; }
  export const type = new RequestType<Params, void, void>(method);
}

/**
 * Host → agent process. Type text into the pty. A newline inside `text` never
 * acts as Enter: multi-line text goes in as a bracketed paste when the program
 * turned that on, else with its newlines folded to spaces. Enter follows once
 * the program has echoed the text. `queued` text never clobbers a person's
 * draft: it waits for it, then puts it back.
 */
export namespace AgentInput {
  export const method = 'superkick/agent/input' as const;
  export interface Params { text: string; submit: boolean; queued: boolean; }
  /** `deferred`: a person submitted their own draft first; nothing was typed, try again at the next idle. */
  export interface Result { bytes: number; deferred: boolean; }
  export const type = new RequestType<Params, Result, void>(method);
}

/** Host → agent process. End the program (SIGTERM, then SIGKILL after a grace period). */
export namespace AgentTerminate {
  export const method = 'superkick/agent/terminate' as const;
  export interface Params { force: boolean; }
  export const type = new RequestType<Params, void, void>(method);
}

/** Host → agent process. Start or stop writing an asciicast file. */
export namespace RecordOutput {
  export const method = 'superkick/agent/record' as const;
  export interface Params { stop: boolean; path: string; }
  export interface Result { path: string | null; }
  export const type = new RequestType<Params, Result, void>(method);
}

/**
 * Host → agent process. Ring the bell (a notifier wants a person's attention):
 * every attached viewer gets a Bell frame. The program's pty and the screen
 * model are not touched, so the bell is never part of the agent's output.
 */
export namespace RingBell {
  export const method = 'superkick/agent/bell' as const;
  export interface Params { reason?: string; }
  export const type = new NotificationType<Params>(method);
}
