/**
 * The host's in-process bus between the parts of the supervision loop:
 * goals, budgets, monitors and the MCP endpoint publish here; notifiers (and
 * clients watching through the host) listen. Only facts travel on it; each
 * listener decides what to do, so a new part needs no change to the others.
 */
import { EventEmitter } from 'node:events';
import type { GoalStatus, SupervisionEvent, SupervisionEventType } from '../protocol';

export interface SupervisionBusEvents {
  /** Something people may want to hear about (see SUPERVISION_EVENT_TYPES). */
  event: [SupervisionEvent];
  /** An agent's goal was decided (workflows start their next step from here). */
  goalDecided: [{ agentId: string; goal: GoalStatus }];
}

export class SupervisionBus extends EventEmitter<SupervisionBusEvents> {
  /** Publishes a notifiable event; `key` makes its id stable (same happening, same id). */
  publish(type: SupervisionEventType, key: string, fields: Partial<Omit<SupervisionEvent, 'id' | 'type'>> = {}): SupervisionEvent {
    const event: SupervisionEvent = {
      id: `${type}:${key}`,
      type,
      agentId: fields.agentId ?? null,
      workspace: fields.workspace ?? null,
      occurredAt: fields.occurredAt ?? new Date().toISOString(),
      summary: fields.summary ?? null,
      url: fields.url ?? null,
      details: fields.details ?? {},
    };
    this.emit('event', event);
    return event;
  }
}
