/**
 * What a notifier is, seen from the dispatcher. An integration that notifies
 * (the terminal bell, a command, later Slack or Datadog) gives a factory on its
 * `Integration`; the dispatcher makes one notifier per configured entry and
 * hands it each rendered notification. Nothing here names a service.
 */
import type { MessageConnection } from 'vscode-jsonrpc';
import type { AgentRecord, SupervisionEvent, SupervisionEventType } from '../protocol';
import type { Logger } from '../common/logger';

/** One `notifiers:` entry as configured (keys of the schema's notifiersCommon, plus the type's own). */
export interface NotifierEntry {
  type: string;
  enabled?: boolean;
  events?: SupervisionEventType[];
  template?: string;
  [key: string]: unknown;
}

/** One event for one notifier, with its text rendered. */
export interface Notification {
  event: SupervisionEvent;
  /** The text from the notifier's template. */
  text: string;
  /** The agent the event is about, when there is one (and it is still known). */
  agent: AgentRecord | null;
  /** The entry's name under `notifiers:`. */
  notifier: string;
  /** The scope the entry was configured in (a workspace root; null: the user's config alone). */
  workspace: string | null;
  /** Sent by `superkick notifier test`. */
  test: boolean;
}

/** What happened to one send; a thrown error means it failed. */
export type SendOutcome = { sent: true } | { sent: false; skipped: string };

export interface Notifier {
  send(notification: Notification): Promise<SendOutcome>;
}

/** What a notifier may use of the host. */
export interface NotifierServices {
  log: Logger;
  /** The live connection to an agent's process, if it is connected (to ring its viewers' bell). */
  agentLink(agentId: string): MessageConnection | undefined;
  /** The folder commands run in when no agent says otherwise. */
  defaultCwd: string;
}

export type NotifierFactory = (entry: NotifierEntry, services: NotifierServices) => Notifier;

export const SENT: SendOutcome = { sent: true };

export function skipped(why: string): SendOutcome {
  return { sent: false, skipped: why };
}
