/**
 * The terminal bell: asks the agent's process to ring the bell on every
 * viewer attached to it. The agent's program and its screen never see it.
 */
import { AgentLink } from '../../protocol';
import { SENT, skipped, type NotifierFactory } from '../../notify/notifier';

export const terminalBellNotifierFactory: NotifierFactory = (_entry, services) => ({
  send: async ({ event, agent }) => {
    if (!agent) return skipped('the event is about no agent, so there is no terminal to ring');
    if (agent.state === 'exited') return skipped(`agent ${agent.id} has exited`);
    const link = services.agentLink(agent.id);
    if (!link) return skipped(`agent ${agent.id} is not connected to the host`);
    if (agent.viewers === 0) return skipped(`no terminal is attached to agent ${agent.id}`);
    await link.sendNotification(AgentLink.RingBell.type, { reason: event.type });
    return SENT;
  },
});
