/**
 * Agent methods for clients: create, list, resolve, inject, queue, stop,
 * log, record, prune, watch. The user may act on every agent; an agent's own
 * token only on itself (`visibleAgent`).
 */
import * as crypto from 'node:crypto';
import { ResponseError } from 'vscode-jsonrpc';
import { AgentLink, ErrorCode, Host } from '../../protocol';
import { agentToken } from '../../common/tokens';
import { frameExternal } from '../../supervisor/untrustedText';
import type { AgentsChangedEvent } from '../../supervisor/agentRegistry';
import { DRIVERS } from '../../drivers';
import { createAgentRecord } from '../createAgentRecord';
import { visibleAgent, type Caller } from './sessionRoutes';
import { requireString } from './params';
import type { RegisterRoutes } from '.';

export const agentRoutes: RegisterRoutes = (routes, ctx) => {
  const { registry, queue } = ctx;

  routes.userRequest(Host.CreateAgent.type, (spec) => {
    validateSpec(spec);
    return createAgentRecord(ctx, spec);
  });

  routes.request(Host.ListAgents.type, (params, caller) => registry.list({ includeExited: params?.includeExited, only: visibleAgent(caller) }));

  routes.request(Host.ResolveAgent.type, (params, caller) => {
    const agent = registry.resolve(requireString(params?.agent, 'agent'), visibleAgent(caller));
    const alive = agent.state !== 'exited';
    return {
      record: registry.record(agent.id),
      attachToken: alive ? agentToken(ctx.hostKey, agent.id) : null,
      finalScreen: alive ? null : registry.finalScreen(agent.id),
    };
  });

  routes.request(Host.InjectAgent.type, async (params, caller) => {
    const agent = registry.resolve(requireString(params?.agent, 'agent'), visibleAgent(caller));
    let text = requireString(params.text, 'text');
    if (params.external) {
      requireString(params.external.source, 'external.source');
      text = frameExternal(text, params.external, crypto.randomBytes(4).toString('hex'));
    }
    const submit = params.submit !== false;
    if (params.now) {
      const result = await registry.link(agent.id).sendRequest(AgentLink.AgentInput.type, { text, submit, queued: false });
      return { id: agent.id, queued: false, messageId: null, position: null, bytes: result.bytes };
    }
    if (agent.state === 'exited') throw new ResponseError(ErrorCode.AgentGone, `agent ${agent.id} has exited; nothing can be queued for it`);
    const { message, position } = queue.enqueue(agent.id, { ...params, text, submit, source: params.source || (caller.kind === 'agent' ? 'agent' : 'cli') });
    queue.agentChanged(registry.record(agent.id));
    return { id: agent.id, queued: true, messageId: message.id, position, bytes: null };
  });

  routes.request(Host.ListQueue.type, (params, caller) => queue.pending(registry.resolve(requireString(params?.agent, 'agent'), visibleAgent(caller)).id));

  routes.request(Host.StopAgent.type, async (params, caller) => {
    const agent = registry.resolve(requireString(params?.agent, 'agent'), visibleAgent(caller));
    if (agent.state !== 'exited') {
      const exited = registry.waitForExit(agent.id);
      const link = await registry.linkWhenStarted(agent.id);
      await link.sendRequest(AgentLink.AgentTerminate.type, { force: Boolean(params.force) });
      await exited;
    }
    return registry.record(agent.id);
  });

  routes.request(Host.AgentLog.type, (params, caller) => {
    const agent = registry.resolve(requireString(params?.agent, 'agent'), visibleAgent(caller));
    return ctx.logs.read(agent.id, params.maxBytes);
  });

  routes.request(Host.RecordAgent.type, async (params, caller) => {
    const agent = registry.resolve(requireString(params?.agent, 'agent'), visibleAgent(caller));
    const path = params.path || ctx.recordingPath(agent.id);
    const result = await registry.link(agent.id).sendRequest(AgentLink.RecordOutput.type, { stop: Boolean(params.stop), path });
    return { id: agent.id, path: result.path };
  });

  routes.userRequest(Host.PruneAgents.type, (params) => ({ removed: registry.prune(params?.agent) }));

  // AgentsChanged for this connection once it asks, limited to what its caller may see.
  let watcher: Caller | undefined;
  const onChanged = (event: AgentsChangedEvent) => {
    if (!watcher || (watcher.kind === 'agent' && watcher.id !== event.record.id)) return;
    routes.connection.sendNotification(Host.AgentsChanged.type, event).catch(() => undefined);
  };
  registry.on('changed', onChanged);
  routes.onClose(() => registry.off('changed', onChanged));
  routes.request(Host.WatchAgents.type, (_params, caller) => {
    watcher = caller;
    return registry.list({ only: visibleAgent(caller) });
  });
};

function validateSpec(spec: unknown): void {
  const s = spec as Record<string, unknown>;
  if (!s || typeof s !== 'object') throw new ResponseError(ErrorCode.InvalidParams, 'agent spec must be an object');
  requireString(s.command, 'command');
  requireString(s.cwd, 'cwd');
  requireString(s.name, 'name');
  if (!Array.isArray(s.args) || s.args.some((a) => typeof a !== 'string')) {
    throw new ResponseError(ErrorCode.InvalidParams, 'args must be a list of strings');
  }
  if (s.assignment !== undefined && (typeof s.assignment !== 'object' || s.assignment === null || Array.isArray(s.assignment))) {
    throw new ResponseError(ErrorCode.InvalidParams, 'assignment must be an object');
  }
  if (!DRIVERS.some((driver) => driver.name === s.driver)) {
    throw new ResponseError(ErrorCode.InvalidParams, `unknown driver ${JSON.stringify(s.driver)}; drivers: ${DRIVERS.map((d) => d.name).join(', ')}`);
  }
}
