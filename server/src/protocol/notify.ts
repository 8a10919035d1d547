/**
 * Notifiers: what the host tells people, and how clients see and test it.
 * The VS Code extension watches notifications and shows each with its actions;
 * the CLI lists the configured notifiers and sends test events through them.
 */
import { NotificationType, RequestType } from 'vscode-jsonrpc';
import type { AgentRecord, SupervisionEvent, SupervisionEventType } from './types';

/** Something a person can do about a notification; the client offers it as a button. */
export interface NotificationAction {
  /**
   * `attach`: open the agent's terminal; `answer`: answer its question (details.questionId);
   * `approve`/`deny`: decide a pending approval (details.approvalId); `raise_budget`: raise its
   * budget; `stop`: stop the agent; `open_url`: open `url`.
   */
  kind: 'attach' | 'answer' | 'approve' | 'deny' | 'raise_budget' | 'stop' | 'open_url';
  /** The button's label. */
  title: string;
  agentId: string | null;
  url?: string;
}

/** One notification as a client shows it. */
export interface ShownNotification {
  event: SupervisionEvent;
  /** The text rendered by the `core/notification` template. */
  text: string;
  /** The agent it is about, when there is one. */
  agent: AgentRecord | null;
  actions: NotificationAction[];
}

/**
 * Client → host (user token). Receive NotificationShown from now on, for the named workspaces
 * (absent: every workspace, and agent-less events). Answers with the most recent notifications,
 * newest last, so a reloaded window can show what it missed.
 */
export namespace WatchNotifications {
  export const method = 'superkick/notify/watch' as const;
  export interface Params { workspaces?: string[]; }
  export interface Result { recent: ShownNotification[]; }
  export const type = new RequestType<Params, Result, void>(method);
}

/** Host → client (after WatchNotifications). A notification for people; each event once. */
export namespace NotificationShown {
  export const method = 'superkick/notify/shown' as const;
  export type Params = ShownNotification;
  export const type = new NotificationType<Params>(method);
}

/** A configured notifier and how its sending has gone. */
export interface NotifierInfo {
  /** The scope it is configured in: a workspace root, or null for the user's config.yml alone. */
  workspace: string | null;
  name: string;
  type: string;
  enabled: boolean;
  /** The event types it is told about. */
  events: SupervisionEventType[];
  sent: number;
  lastSentAt: string | null;
  lastEventId: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
}

/** Client → host (user token). Every configured notifier of every scope, with its last send and error. */
export namespace ListNotifiers {
  export const method = 'superkick/notify/list' as const;
  export interface Params { workspace?: string | null; }
  export type Result = NotifierInfo[];
  export const type = new RequestType<Params, Result, void>(method);
}

/**
 * Client → host (user token). Send a test event through one notifier of a workspace (absent: the
 * one the connection named), bypassing de-duplication and the notifier's `events` list.
 */
export namespace TestNotifier {
  export const method = 'superkick/notify/test' as const;
  export interface Params {
    name: string;
    workspace?: string | null;
    /** Default `agent_waiting`. */
    eventType?: SupervisionEventType;
    /** An agent (id or name) to make it about; its viewers hear a terminal bell. */
    agent?: string;
  }
  export interface Result {
    notifier: string;
    workspace: string | null;
    event: SupervisionEvent;
    text: string;
    outcome: 'sent' | 'skipped' | 'failed';
    /** Why it was skipped, or the error. */
    detail: string | null;
  }
  export const type = new RequestType<Params, Result, void>(method);
}
