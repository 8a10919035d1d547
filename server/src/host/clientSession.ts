/**
 * One connection to the host socket: authenticate first, then serve what the
 * principal may use. A user token may act on every agent; an agent token only
 * on its own agent. The session itself serves authentication, the language
 * features (per-connection documents) and the agent process's link; every
 * other area's methods come from its route module (`routes/`).
 */
import type { Socket } from 'node:net';
import { UserError } from '../common/userError';
import { ResponseError, type MessageConnection, type NotificationType, type RequestType } from 'vscode-jsonrpc';
import { AgentLink, ErrorCode, Host, Language } from '../protocol';
import { rpcOverSocket } from '../common/rpcConnection';
import { safeEqual, verifyAgentToken } from '../common/tokens';
import { VERSION } from '../common/version';
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
  /** The workspace this (user) client named when it authenticated. */
  private workspace: string | null = null;
  readonly connection: MessageConnection;
  private readonly tag = `host.conn#${nextSessionId++}`;
  /** Created when the client first opens a document: most connections (the CLI) never do. */
  private language: LanguageSession | undefined;
  /** An open editor's diagnostics depend on the user's own config.yml too. */
  private readonly onConfigChanged = (change: ScopeChange) => {
    if (change.status.workspace === null) this.language?.userConfigChanged();
  };

  constructor(private readonly socket: Socket, private readonly ctx: HostContext) {
    this.connection = rpcOverSocket(socket, {
      onProtocolError: (error) => ctx.log.error(this.tag, `closing connection: ${error.message}`),
    });
    socket.on('error', (error) => ctx.log.debug(this.tag, `socket error: ${error.message}`));
    this.connection.onClose(() => this.closed());
    this.connection.onError(([error]) => ctx.log.debug(this.tag, `rpc error: ${error.message}`));
    ctx.configs.on('changed', this.onConfigChanged);
    this.serve();
    this.connection.listen();
  }

  private authenticate(params: Host.Authenticate.Params): Host.Authenticate.Result {
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
  }

  private serve(): void {
    const c = this.connection;
    const { registry } = this.ctx;

    c.onRequest(Host.Authenticate.type, (params) => this.authenticate(params));

    const configs = this.ctx.configs;

    // Language features for superkick.yml (protocol/language.ts): the LSP's own methods, user token only.
    const language = () =>
      (this.language ??= new LanguageSession(
        configs.languageService(),
        (params) => void c.sendNotification(Language.PublishDiagnosticsNotification.type, params).catch(() => undefined),
        this.ctx.log,
        this.tag,
      ));
    // An editor's language client speaks first with `initialize`: it may carry the Authenticate
    // parameters (initializationOptions.superkick), so the LSP client needs no handshake of its own.
    c.onRequest(Language.InitializeRequest.type, (params) => {
      const credentials = (params?.initializationOptions as { superkick?: Host.Authenticate.Params } | undefined)?.superkick;
      const info = !this.principal && credentials ? this.authenticate(credentials) : undefined;
      this.requireUser();
      return { ...Language.SERVER_CAPABILITIES, serverInfo: { name: 'superkick', version: VERSION }, ...(info ? { superkick: info } : {}) };
    });
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
      try {
        return await handler(params, this.caller());
      } catch (error) {
        // A UserError's message is written for people: it goes to the client as it is.
        if (error instanceof UserError) throw new ResponseError(ErrorCode.Refused, error.message);
        throw error;
      }
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

  private closed(): void {
    this.ctx.configs.off('changed', this.onConfigChanged);
    if (this.registeredAgent) this.ctx.registry.disconnected(this.registeredAgent, this.connection);
    this.connection.dispose();
  }
}
