/**
 * One connection to the host socket: authenticate first, then serve the
 * client (CLI, extension) or agent-process methods the principal may use.
 * A user token may act on every agent; an agent token only on its own agent.
 */
import * as crypto from 'node:crypto';
import type { Socket } from 'node:net';
import { ResponseError, type MessageConnection, type NotificationType, type RequestType } from 'vscode-jsonrpc';
import { AgentLink, ErrorCode, Host, Language, type DriverOverride } from '../protocol';
import { rpcOverSocket } from '../common/rpcConnection';
import { agentToken, safeEqual, verifyAgentToken } from '../common/tokens';
import type { AgentsChangedEvent } from '../supervisor/agentRegistry';
import { VERSION } from '../common/version';
import { frameExternal } from '../supervisor/untrustedText';
import { DRIVERS } from '../drivers';
import type { ScopeChange } from './workspaceConfigs';
import { LanguageSession } from './languageSession';
import type { Caller, SessionRoutes } from './routes/sessionRoutes';
import { ROUTES } from './routes';
import type { HostContext } from './hostContext';

type Principal = { kind: 'user' } | { kind: 'agent'; id: string };


let nextSessionId = 1;

const HANG_UP_GRACE_MS = 100;

export class ClientSession implements SessionRoutes {
  private principal: Principal | undefined;
  private registeredAgent: string | undefined;
  private watching = false;
  private watchingConfig = false;
  /** The workspace this (user) client named when it authenticated. */
  private workspace: string | null = null;
  readonly connection: MessageConnection;
  private readonly tag = `host.conn#${nextSessionId++}`;
  private readonly onChanged = (event: AgentsChangedEvent) => {
    if (!this.watching || !this.mayAct(event.record.id)) return;
    this.connection.sendNotification(Host.AgentsChanged.type, event).catch(() => undefined);
  };
  /** Created when the client first opens a document: most connections (the CLI) never do. */
  private language: LanguageSession | undefined;
  private readonly onConfigChanged = (change: ScopeChange) => {
    if (this.watchingConfig) this.connection.sendNotification(Host.ConfigChanged.type, change).catch(() => undefined);
    if (change.status.workspace === null) this.language?.userConfigChanged();
  };

  constructor(private readonly socket: Socket, private readonly ctx: HostContext) {
    this.connection = rpcOverSocket(socket, {
      onProtocolError: (error) => ctx.log.error(this.tag, `closing connection: ${error.message}`),
    });
    socket.on('error', (error) => ctx.log.debug(this.tag, `socket error: ${error.message}`));
    this.connection.onClose(() => this.closed());
    this.connection.onError(([error]) => ctx.log.debug(this.tag, `rpc error: ${error.message}`));
    ctx.registry.on('changed', this.onChanged);
    ctx.configs.on('changed', this.onConfigChanged);
    this.serve();
    this.connection.listen();
  }

  private serve(): void {
    const c = this.connection;
    const { registry } = this.ctx;

    c.onRequest(Host.Authenticate.type, (params) => {
      const token = typeof params?.token === 'string' ? params.token : '';
      const agentId = token ? verifyAgentToken(this.ctx.hostKey, token) : undefined;
      if (token && safeEqual(token, this.ctx.clientToken)) {
        this.principal = { kind: 'user' };
      } else if (agentId) {
        this.principal = { kind: 'agent', id: agentId };
      } else {
        const why = token ? 'wrong token' : 'no token';
        this.ctx.log.warn(this.tag, `rejected a connection from ${params?.client ?? 'an unnamed client'}: ${why}`);
        this.hangUp();
        throw new ResponseError(ErrorCode.Unauthenticated, `${why}: the host did not accept it. Check SUPERKICK_DIR, or SUPERKICK_AGENT_TOKEN for an agent`);
      }
      this.ctx.log.debug(this.tag, `authenticated ${params.client} as ${this.principal.kind}`);
      if (this.principal.kind === 'user' && typeof params.workspace === 'string' && params.workspace.startsWith('/')) {
        try {
          this.workspace = this.ctx.configs.register(params.workspace);
        } catch (error) {
          this.ctx.log.warn(this.tag, `could not register workspace ${params.workspace}: ${(error as Error).message}`);
        }
      }
      return {
        hostPid: process.pid,
        hostVersion: VERSION,
        principal: this.principal.kind,
        agentId: this.principal.kind === 'agent' ? this.principal.id : undefined,
      };
    });

    this.userRequest(Host.CreateAgent.type, (spec) => {
      validateSpec(spec);
      // Its workspace is registered like a client's, so the workspace's superkick.yml is followed from now on.
      if (spec.workspace) spec.workspace = this.ctx.configs.register(absolutePath(spec.workspace, 'workspace'));
      const drivers = this.ctx.configs.configOf(spec.workspace ?? null).drivers as Record<string, DriverOverride> | undefined;
      spec.driverOverride = drivers?.[spec.driver] ?? null;
      this.ctx.goals.checkAssignment(spec.workspace ?? null, spec.assignment?.goal);
      const agent = registry.create(spec);
      return { id: agent.id, token: agentToken(this.ctx.hostKey, agent.id), attachSocket: agent.attachSocket!, spec: agent.spec };
    });

    this.request(Host.ListAgents.type, (params) =>
      registry.list({ includeExited: params?.includeExited, only: this.visibleAgent() }),
    );

    this.request(Host.ResolveAgent.type, (params) => {
      const agent = registry.resolve(requireString(params?.agent, 'agent'), this.visibleAgent());
      const alive = agent.state !== 'exited';
      return {
        record: registry.record(agent.id),
        attachToken: alive ? agentToken(this.ctx.hostKey, agent.id) : null,
        finalScreen: alive ? null : registry.finalScreen(agent.id),
      };
    });

    this.request(Host.InjectAgent.type, async (params) => {
      const agent = registry.resolve(requireString(params?.agent, 'agent'), this.visibleAgent());
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
      const { message, position } = this.ctx.queue.enqueue(agent.id, { ...params, text, submit, source: params.source || (this.principal?.kind === 'agent' ? 'agent' : 'cli') });
      this.ctx.queue.agentChanged(registry.record(agent.id));
      return { id: agent.id, queued: true, messageId: message.id, position, bytes: null };
    });

    this.request(Host.ListQueue.type, (params) => {
      const agent = registry.resolve(requireString(params?.agent, 'agent'), this.visibleAgent());
      return this.ctx.queue.pending(agent.id);
    });

    this.request(Host.StopAgent.type, async (params) => {
      const agent = registry.resolve(requireString(params?.agent, 'agent'), this.visibleAgent());
      if (agent.state !== 'exited') {
        const exited = registry.waitForExit(agent.id);
        await registry.link(agent.id).sendRequest(AgentLink.AgentTerminate.type, { force: Boolean(params.force) });
        await exited;
      }
      return registry.record(agent.id);
    });

    this.request(Host.AgentLog.type, (params) => {
      const agent = registry.resolve(requireString(params?.agent, 'agent'), this.visibleAgent());
      return this.ctx.logs.read(agent.id, params.maxBytes);
    });

    this.request(Host.RecordAgent.type, async (params) => {
      const agent = registry.resolve(requireString(params?.agent, 'agent'), this.visibleAgent());
      const path = params.path || this.ctx.recordingPath(agent.id);
      const result = await registry.link(agent.id).sendRequest(AgentLink.RecordOutput.type, { stop: Boolean(params.stop), path });
      return { id: agent.id, path: result.path };
    });

    this.userRequest(Host.PruneAgents.type, (params) => ({ removed: registry.prune(params?.agent) }));

    this.request(Host.WatchAgents.type, () => {
      this.watching = true;
      return registry.list({ only: this.visibleAgent() });
    });

    const configs = this.ctx.configs;
    const workspaceParam = (value: unknown): string | null => {
      if (value === undefined || value === null || value === '') return this.workspace;
      return absolutePath(value, 'workspace');
    };
    this.userRequest(Host.ConfigCheck.type, (params) => configs.check(workspaceParam(params?.workspace)));
    this.userRequest(Host.ConfigShow.type, (params) => configs.show(workspaceParam(params?.workspace)));
    this.userRequest(Host.WatchConfig.type, () => {
      this.watchingConfig = true;
      return configs.allStatuses();
    });
    this.userRequest(Host.ListWorkspaces.type, () => configs.list());
    this.userRequest(Host.RemoveWorkspace.type, (params) => ({ removed: configs.remove(absolutePath(params?.workspace, 'workspace')) }));
    this.userRequest(Host.TrustWorkspace.type, (params) => configs.trust(absolutePath(params?.workspace, 'workspace'), Boolean(params.revoke)));

    // Language features for superkick.yml (protocol/language.ts): the LSP's own methods, user token only.
    const language = () =>
      (this.language ??= new LanguageSession(
        configs.languageService(),
        (params) => void c.sendNotification(Language.PublishDiagnosticsNotification.type, params).catch(() => undefined),
        this.ctx.log,
        this.tag,
      ));
    this.userRequest(Language.InitializeRequest.type, () => Language.SERVER_CAPABILITIES);
    // An editor's LSP `shutdown` ends nothing here: the host outlives every client.
    c.onRequest(Language.ShutdownRequest.type, () => {
      this.requireUser();
    });
    this.userNotification(Language.DidOpenTextDocumentNotification.type, (params) => language().open(params));
    this.userNotification(Language.DidChangeTextDocumentNotification.type, (params) => language().change(params));
    this.userNotification(Language.DidCloseTextDocumentNotification.type, (params) => language().close(params));
    this.userRequest(Language.CompletionRequest.type, (params) => language().complete(params));
    this.userRequest(Language.HoverRequest.type, (params) => language().hover(params));

    for (const register of ROUTES) register(this, this.ctx);

    c.onNotification(Host.ShutdownHost.type, () => {
      if (this.principal?.kind === 'user') this.ctx.shutdown();
      else this.ctx.log.warn(this.tag, 'ignored a shutdown request from a connection without the user token');
    });

    // Agent process → host.
    this.request(AgentLink.RegisterAgent.type, (params) => {
      this.requireOwnAgent(params?.id);
      registry.register(params, c);
      this.registeredAgent = params.id;
    });
    c.onNotification(AgentLink.AgentStatus.type, (params) => {
      if (this.registeredAgent) registry.status(this.registeredAgent, params);
    });
    this.request(AgentLink.AgentExited.type, (params) => {
      if (!this.registeredAgent) throw new ResponseError(ErrorCode.Forbidden, 'register first');
      registry.exited(this.registeredAgent, params);
    });
  }

  /** A request any authenticated principal may make. */
  request<P, R, E>(type: RequestType<P, R, E>, handler: (params: P, caller: Caller) => R | Promise<R>): void {
    const guarded = async (params: P) => {
      this.requireAuthenticated();
      return await handler(params, this.caller());
    };
    this.connection.onRequest(type, guarded as never);
  }

  /** A request only the user (not an agent token) may make. */
  userRequest<P, R, E>(type: RequestType<P, R, E>, handler: (params: P, caller: Caller & { kind: 'user' }) => R | Promise<R>): void {
    this.request(type, (params: P) => {
      this.requireUser();
      return handler(params, { kind: 'user', workspace: this.workspace });
    });
  }

  /** A request only an agent token may make. */
  agentRequest<P, R, E>(type: RequestType<P, R, E>, handler: (params: P, agentId: string) => R | Promise<R>): void {
    this.request(type, (params: P, caller) => {
      if (caller.kind !== 'agent') throw new ResponseError(ErrorCode.Forbidden, `${type.method} is for an agent's own token`);
      return handler(params, caller.id);
    });
  }

  onClose(listener: () => void): void {
    this.connection.onClose(listener);
  }

  private caller(): Caller {
    return this.principal?.kind === 'agent' ? { kind: 'agent', id: this.principal.id } : { kind: 'user', workspace: this.workspace };
  }

  private requireUser(): void {
    this.requireAuthenticated();
    if (this.principal?.kind !== 'user') throw new ResponseError(ErrorCode.Forbidden, 'an agent token may not do this');
  }

  /** A notification only the user may send; from anyone else it is logged and dropped (a notification has no answer to refuse with). */
  userNotification<P>(type: NotificationType<P>, handler: (params: P) => void): void {
    this.connection.onNotification(type, (params: P) => {
      if (this.principal?.kind !== 'user') {
        this.ctx.log.warn(this.tag, `ignored ${type.method} from a connection without the user token`);
        return;
      }
      try {
        handler(params);
      } catch (error) {
        this.ctx.log.error(this.tag, `${type.method} failed: ${(error as Error).message}`);
      }
    });
  }

  private requireAuthenticated(): void {
    if (this.principal) return;
    this.ctx.log.warn(this.tag, 'request before authentication; closing');
    this.hangUp();
    throw new ResponseError(ErrorCode.Unauthenticated, 'authenticate first');
  }

  /**
   * Closes this connection after the error answer has gone out. vscode-jsonrpc
   * writes answers asynchronously and says nothing when one is sent, so the
   * peer gets a short grace period to read why it is being dropped.
   */
  private hangUp(): void {
    setTimeout(() => {
      this.connection.dispose();
      this.socket.end();
    }, HANG_UP_GRACE_MS);
  }

  private requireOwnAgent(id: string | undefined): void {
    if (this.principal?.kind === 'agent' && this.principal.id === id) return;
    throw new ResponseError(ErrorCode.Forbidden, `this token may not register agent ${id}`);
  }

  private visibleAgent(): string | undefined {
    return this.principal?.kind === 'agent' ? this.principal.id : undefined;
  }

  private mayAct(id: string): boolean {
    return this.principal?.kind === 'user' || (this.principal?.kind === 'agent' && this.principal.id === id);
  }

  private closed(): void {
    this.ctx.registry.off('changed', this.onChanged);
    this.ctx.configs.off('changed', this.onConfigChanged);
    if (this.registeredAgent) this.ctx.registry.disconnected(this.registeredAgent, this.connection);
    this.connection.dispose();
  }
}

function requireString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') throw new ResponseError(ErrorCode.InvalidParams, `${name} must be a non-empty string`);
  return value;
}

function absolutePath(value: unknown, name: string): string {
  const text = requireString(value, name);
  if (!text.startsWith('/')) throw new ResponseError(ErrorCode.InvalidParams, `${name} must be an absolute path, not ${JSON.stringify(text)}`);
  return text;
}

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
