/** The buttons a client offers with a notification: what a person can do about this event. */
import type { AgentRecord, SupervisionEvent } from '../protocol';
import type { NotificationAction } from '../protocol/notify';

export function suggestedActions(event: SupervisionEvent, agent: AgentRecord | null): NotificationAction[] {
  const agentId = agent?.id ?? event.agentId;
  const actions: NotificationAction[] = [];
  const add = (kind: NotificationAction['kind'], title: string) => actions.push({ kind, title, agentId });
  switch (event.type) {
    case 'question_asked':
      add('answer', 'Answer');
      break;
    case 'approval_needed':
      add('approve', 'Approve');
      add('deny', 'Deny');
      break;
    case 'budget_exceeded':
      add('raise_budget', 'Raise budget');
      add('stop', 'Stop agent');
      break;
    case 'budget_warning':
      add('raise_budget', 'Raise budget');
      break;
    default:
      break;
  }
  if (agent && agent.state !== 'exited') add('attach', 'Attach');
  if (event.url) actions.push({ kind: 'open_url', title: 'Open', agentId, url: event.url });
  return actions;
}
