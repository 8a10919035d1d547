/**
 * The host's spawning: every request (a spawner's work, `superkick spawn`, a
 * workflow's next step) goes through `submit`, which makes it exactly once:
 *
 *   claim the key (durable) → approval, if the spawner requires one → the
 *   pipeline (spawnPipeline.ts) → running → done when the agent exits.
 *
 * The request is saved with the claim, so a host that stops at any point
 * resumes the dispatch at start (`start` → ledger reconcile) instead of
 * starting a second agent. An approval freezes what the agent will be told:
 * on approval the pipeline runs from the snapshot, never from the event again.
 */
import { EventEmitter } from 'node:events';
import * as os from 'node:os';
import type { Logger } from '../common/logger';
import type { SuperkickPaths } from '../common/paths';
import { UserError } from '../common/userError';
import type { AgentSpec, Spawn } from '../protocol';
import type { SpawnStep } from '../protocol/spawn';
import { integrationFor } from '../integrations';
import { overrideFromConfig } from '../templates/engine';
import { agentDrop } from '../templates/drops';
import type { TemplateEngines } from '../templates/engines';
import type { AgentRegistry } from '../supervisor/agentRegistry';
import type { InjectionQueue } from '../supervisor/injectionQueue';
import type { SupervisionBus } from '../supervisor/supervisionBus';
import type { WorkspaceConfigs } from '../host/workspaceConfigs';
import { ApprovalStore, type Approval } from './approvalStore';
import { DispatchLedger, type Dispatch } from './dispatchLedger';
import { runSpawnPipeline, SpawnFailure, type PipelineHost } from './spawnPipeline';
import type { SpawnRequest } from './spawnRequest';
import { spawnSettings, type SpawnSettings } from './spawnSettings';

export interface SpawnServiceDeps {
  paths: SuperkickPaths;
  configs: WorkspaceConfigs;
  registry: AgentRegistry;
  queue: InjectionQueue;
  templates: TemplateEngines;
  bus: SupervisionBus;
  log: Logger;
  /** The host's one way to create an agent's record. */
  createAgent(spec: AgentSpec): { id: string; token: string; spec: AgentSpec };
}

/** What the ledger keeps with each claim. */
interface DispatchDetails {
  request: SpawnRequest;
  approvalId?: string;
}

export interface SpawnServiceEvents {
  changed: [Spawn.DispatchChanged.Params];
}

const TAG = 'spawn';
/** The longest wait between expiry checks (each pending approval is also checked at its own time). */
const EXPIRY_CHECK_MS = 30_000;
/** The kickoff goes in before anything else queued for a new agent (a monitor's event that came early). */
const KICKOFF_PRIORITY = 100;

export class SpawnService extends EventEmitter<SpawnServiceEvents> {
  readonly ledger: DispatchLedger;
  readonly approvals: ApprovalStore;
  /** The step under way, per key (not persisted: a restart resumes from the claim). */
  private readonly steps = new Map<string, SpawnStep>();
  /** Pipelines running now, per key, so a second decision or resume cannot run one twice. */
  private readonly running = new Map<string, Promise<Dispatch>>();
  private expiryTimer?: NodeJS.Timeout;
  private stopped = false;
  private readonly onExited = (agentId: string) => this.agentExited(agentId);

  constructor(private readonly deps: SpawnServiceDeps) {
    super();
    this.ledger = new DispatchLedger(deps.paths.dispatchesState, { log: deps.log });
    this.approvals = new ApprovalStore(deps.paths.approvalsState, { log: deps.log, auditFile: deps.paths.approvalsAudit });
  }

  /** Settles what the previous host left unfinished, then carries on with it. Call once, after the registry is reconciled. */
  start(): void {
    const { registry } = this.deps;
    const agents = registry.list({ includeExited: true });
    const result = this.ledger.reconcile({
      isAgentAlive: (id) => {
        const agent = agents.find((a) => a.id === id);
        return agent ? agent.state !== 'exited' : false;
      },
      agentForKey: (key) => agents.find((a) => a.assignment.dispatchKey === key)?.id,
      interruptedSpawn: 'resume',
    });
    for (const dispatch of result.adopted) this.changed(dispatch, `adopted agent ${dispatch.agentId}, started before the host stopped`);
    for (const dispatch of result.resume) void this.resume(dispatch);
    registry.on('exited', this.onExited);
    this.expireDue();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.expiryTimer);
    this.deps.registry.off('exited', this.onExited);
  }

  /**
   * Makes one request into an agent, exactly once per key. Resolves when the
   * agent runs, when it waits for approval, or at once with `already` when
   * the key was taken; rejects (after marking the dispatch failed and saying
   * so on the bus) when a step fails.
   */
  async submit(request: SpawnRequest): Promise<Spawn.StartSpawn.Result> {
    // Settings are checked before the claim: a typo in a spawner's name should not use up the key.
    const settings = this.settingsFor(request);
    const claim = this.ledger.claim(request.key, { request } satisfies DispatchDetails);
    if (!claim.claimed) {
      const pending = this.running.get(request.key);
      const existing = pending ? await pending.catch(() => this.ledger.get(request.key)!) : claim.existing;
      return { outcome: 'already', dispatch: this.status(existing) };
    }
    this.deps.log.info(TAG, `claimed "${request.key}" (${request.summary}) for ${request.requestedBy}`);
    if (settings.approval === 'required') {
      try {
        return { outcome: 'awaiting_approval', dispatch: this.askApproval(request, settings) };
      } catch (error) {
        throw new UserError(this.fail(request.key, 'approval', error as Error).reason!);
      }
    }
    this.changed(claim.dispatch, 'claimed');
    return { outcome: 'started', dispatch: this.status(await this.launch(request, settings, false)) };
  }

  /** A person's decision. Approving runs the spawn from the frozen snapshot and resolves when the agent runs. */
  async decide(params: Spawn.DecideApproval.Params): Promise<Spawn.DecideApproval.Result> {
    const by = params.by || os.userInfo().username;
    const approval = this.approvals.decide(params.id, params.decision, by, params.note);
    const dispatch = this.ledger.get(approval.key);
    if (!dispatch || (dispatch.state !== 'claimed' && dispatch.state !== 'spawning')) {
      return { approval: approvalStatus(approval), dispatch: dispatch ? this.status(dispatch) : null };
    }
    if (approval.state === 'denied') {
      const failed = this.ledger.markFailed(approval.key, `denied by ${by}${params.note ? `: ${params.note}` : ''}`);
      this.changed(failed, failed.reason!);
      return { approval: approvalStatus(approval), dispatch: this.status(failed) };
    }
    const ran = await this.launchApproved(dispatch, approval, false).catch(() => this.ledger.get(approval.key)!);
    return { approval: approvalStatus(approval), dispatch: this.status(ran) };
  }

  /** Forgets a failed dispatch so its work may be spawned again. */
  release(key: string): Spawn.DispatchStatus {
    const released = this.ledger.release(key);
    this.deps.log.info(TAG, `released failed dispatch "${key}" for a retry`);
    return this.status(released);
  }

  dispatches(workspace?: string | null): Spawn.DispatchStatus[] {
    return this.ledger
      .list()
      .map((dispatch) => this.status(dispatch))
      .filter((status) => workspace === undefined || status.workspace === workspace)
      .reverse();
  }

  approvalList(all = false): Spawn.ApprovalStatus[] {
    this.expireDue();
    return (all ? this.approvals.list() : this.approvals.pending()).map(approvalStatus);
  }

  /** Dispatches of a spawner entry that are not finished (for `max_agents`). */
  activeFor(workspace: string | null, spawner: string): number {
    return this.ledger.list().filter((dispatch) => {
      const request = detailsOf(dispatch).request;
      return request.spawner === spawner && request.workspace === workspace && dispatch.state !== 'done' && dispatch.state !== 'failed';
    }).length;
  }

  has(key: string): boolean {
    return this.ledger.get(key) !== undefined;
  }

  status(dispatch: Dispatch): Spawn.DispatchStatus {
    const details = detailsOf(dispatch);
    const live = dispatch.state === 'claimed' || dispatch.state === 'spawning';
    return {
      key: dispatch.key,
      state: dispatch.state,
      spawner: details.request.spawner,
      workspace: details.request.workspace,
      summary: details.request.summary,
      agentId: dispatch.agentId ?? null,
      approvalId: live ? (details.approvalId ?? null) : null,
      step: live ? (this.steps.get(dispatch.key) ?? (details.approvalId ? 'approval' : null)) : null,
      reason: dispatch.reason ?? null,
      claimedAt: dispatch.claimedAt,
      updatedAt: dispatch.updatedAt,
    };
  }

  private settingsFor(request: SpawnRequest): SpawnSettings {
    const { configs } = this.deps;
    return spawnSettings(request, configs.configOf(request.workspace), configs.heldBackOf(request.workspace));
  }

  private askApproval(request: SpawnRequest, settings: SpawnSettings): Spawn.DispatchStatus {
    const { approval, created } = this.approvals.request({
      key: request.key,
      spawner: request.spawner ?? 'manual',
      workspace: request.workspace ?? '',
      summary: request.summary,
      // Exactly what the kickoff will be rendered from: approving approves this, whatever the source says later.
      snapshot: { summary: request.summary, vars: request.vars },
      expiresAt: new Date(Date.now() + settings.approvalExpiresS * 1000),
    });
    // Saved with the claim, so a restarted host knows the dispatch waits for this approval.
    const withId = this.ledger.annotate(request.key, { request, approvalId: approval.id } satisfies DispatchDetails);
    if (created) {
      this.deps.bus.publish('approval_needed', approval.id, {
        workspace: request.workspace,
        summary: `${request.summary}\nApprove with: superkick approve ${approval.id} (or deny); expires ${approval.expiresAt}`,
        details: { approvalId: approval.id, key: request.key, spawner: request.spawner, expiresAt: approval.expiresAt },
      });
    }
    this.changed(withId, `waiting for approval ${approval.id}`);
    this.scheduleExpiry();
    return this.status(withId);
  }

  private launchApproved(dispatch: Dispatch, approval: Approval, resume: boolean): Promise<Dispatch> {
    const request = detailsOf(dispatch).request;
    const snapshot = approval.snapshot as { summary: string; vars: Record<string, unknown> };
    const approved: SpawnRequest = { ...request, summary: snapshot.summary, vars: snapshot.vars };
    let settings: SpawnSettings;
    try {
      settings = this.settingsFor(approved);
    } catch (error) {
      return Promise.resolve(this.fail(dispatch.key, 'approval', error as Error));
    }
    return this.launch(approved, settings, resume);
  }

  /** Runs the pipeline for a claimed key once; concurrent callers share the same run. */
  private launch(request: SpawnRequest, settings: SpawnSettings, resume: boolean): Promise<Dispatch> {
    const existing = this.running.get(request.key);
    if (existing) return existing;
    const run = this.runPipeline(request, settings, resume).finally(() => {
      this.running.delete(request.key);
      this.steps.delete(request.key);
    });
    this.running.set(request.key, run);
    return run;
  }

  private async runPipeline(request: SpawnRequest, settings: SpawnSettings, resume: boolean): Promise<Dispatch> {
    const { key } = request;
    if (this.ledger.get(key)?.state === 'claimed') this.ledger.markSpawning(key);
    try {
      const outcome = await runSpawnPipeline(this.pipelineHost(request, settings), request, settings, (step, message) => {
        this.steps.set(key, step);
        this.changed(this.ledger.get(key)!, message);
      }, resume);
      const running = this.ledger.markRunning(key, outcome.agentId);
      this.deps.log.info(TAG, `"${key}" is running as agent ${outcome.agentId} in ${outcome.worktree} (${outcome.branch})`);
      this.changed(running, `agent ${outcome.agentId} started in ${outcome.worktree} on ${outcome.branch}`);
      // The agent may have exited before `running` was saved.
      if (this.deps.registry.record(outcome.agentId).state === 'exited') this.agentExited(outcome.agentId);
      return this.ledger.get(key)!;
    } catch (error) {
      const failed = this.fail(key, error instanceof SpawnFailure ? error.step : (this.steps.get(key) ?? 'repository'), error as Error);
      throw new UserError(failed.reason!);
    }
  }

  private fail(key: string, step: SpawnStep, error: Error): Dispatch {
    const reason = error.message.startsWith(`${step}:`) ? error.message : `${step}: ${error.message}`;
    const failed = this.ledger.markFailed(key, reason);
    const request = detailsOf(failed).request;
    this.deps.log.error(TAG, `"${key}" failed at ${reason}`);
    this.deps.bus.publish('spawn_failed', key, {
      workspace: request.workspace,
      summary: `${request.summary}\n${reason}`,
      details: { key, spawner: request.spawner, step, reason },
    });
    this.changed(failed, reason);
    return failed;
  }

  private async resume(dispatch: Dispatch): Promise<void> {
    const details = detailsOf(dispatch);
    try {
      if (details.approvalId) {
        const approval = this.approvals.get(details.approvalId);
        if (approval?.state === 'pending') return;
        if (approval?.state === 'approved') {
          await this.launchApproved(dispatch, approval, dispatch.state === 'spawning');
          return;
        }
        this.ledger.markFailed(dispatch.key, approval ? `approval ${approval.id} was ${approval.state}` : 'its approval is gone');
        return;
      }
      const settings = this.settingsFor(details.request);
      // Stopped between the claim and asking: ask now, never spawn unapproved.
      if (settings.approval === 'required' && dispatch.state === 'claimed') {
        this.askApproval(details.request, settings);
        return;
      }
      await this.launch(details.request, settings, dispatch.state === 'spawning');
    } catch (error) {
      if (this.ledger.get(dispatch.key)?.state !== 'failed') this.fail(dispatch.key, 'repository', error as Error);
    }
  }

  /** Marks pending approvals past their time expired (their dispatch fails), then waits for the next one's time. */
  private expireDue(): void {
    for (const approval of this.approvals.expireDue()) {
      const dispatch = this.ledger.get(approval.key);
      if (dispatch?.state === 'claimed') {
        const failed = this.ledger.markFailed(approval.key, `approval ${approval.id} expired at ${approval.expiresAt} with no decision`);
        this.changed(failed, failed.reason!);
      }
    }
    this.scheduleExpiry();
  }

  private scheduleExpiry(): void {
    clearTimeout(this.expiryTimer);
    if (this.stopped) return;
    const next = Math.min(...this.approvals.pending().map((approval) => Date.parse(approval.expiresAt)));
    if (!Number.isFinite(next)) return;
    // Checked again at least every so often: a clock that jumps should not leave an approval pending for long.
    this.expiryTimer = setTimeout(() => this.expireDue(), Math.min(Math.max(0, next - Date.now()) + 50, EXPIRY_CHECK_MS));
    this.expiryTimer.unref();
  }

  private agentExited(agentId: string): void {
    // Emitted for an agent the registry knows, so its record is there.
    const record = this.deps.registry.record(agentId);
    const key = record.assignment.dispatchKey;
    const dispatch = key ? this.ledger.get(key) : undefined;
    if (!dispatch || dispatch.state !== 'running' || dispatch.agentId !== agentId) return;
    const done = this.ledger.markDone(dispatch.key, `agent ${agentId} exited${record.exitCode === null ? '' : ` with code ${record.exitCode}`}`);
    this.changed(done, done.reason!);
  }

  private changed(dispatch: Dispatch, message: string | null): void {
    this.emit('changed', { dispatch: this.status(dispatch), message });
  }

  private pipelineHost(request: SpawnRequest, settings: SpawnSettings): PipelineHost {
    const { paths, registry, queue, templates, log } = this.deps;
    return {
      log,
      repositoryCache: paths.repositoryCache,
      worktreeRoot: paths.worktrees,
      setupLogs: paths.spawnLogs,
      createAgent: (spec) => this.deps.createAgent(spec),
      forgetAgent: (id) => {
        queue.discard(id);
        registry.discardUnstarted(id);
      },
      renderKickoff: (agentId) => {
        const record = registry.record(agentId);
        const context = {
          task: null,
          previous: null,
          ...request.vars,
          agent: agentDrop(record),
          goal: this.goalSentence(request.workspace, settings.goal),
          spawner: request.spawner,
        };
        const override = settings.kickoffOverride ? overrideFromConfig(settings.kickoffOverride) : undefined;
        return templates.for(request.workspace).render(settings.kickoffTemplate, context, { override });
      },
      queueKickoff: (agentId, text) => {
        queue.enqueue(agentId, { text, submit: true, source: 'spawner', priority: KICKOFF_PRIORITY, dedupeKey: 'kickoff' });
      },
      runtimeFor: (runtime) => {
        const factory = integrationFor('runtime', runtime.type)?.runtime;
        if (!factory) throw new UserError(`runtime "${runtime.type}" cannot start agents yet`);
        return factory(runtime.entry, { paths, log });
      },
    };
  }

  /** What "done" means for the kickoff, in words. */
  private goalSentence(workspace: string | null, goal: string | null): string | null {
    if (!goal) return null;
    const entry = (this.deps.configs.configOf(workspace).goals as Record<string, Record<string, unknown>> | undefined)?.[goal];
    const type = typeof entry?.type === 'string' ? entry.type : undefined;
    const summary = type ? integrationFor('goals', type)?.summary : undefined;
    const command = typeof entry?.command === 'string' ? ` The command is: ${entry.command}` : '';
    return `Your goal is "${goal}"${type ? ` (${type})` : ''}.${summary ? ` ${summary}` : ''}${command}`;
  }
}

function detailsOf(dispatch: Dispatch): DispatchDetails {
  return dispatch.details as unknown as DispatchDetails;
}

export function approvalStatus(approval: Approval): Spawn.ApprovalStatus {
  return {
    id: approval.id,
    key: approval.key,
    spawner: approval.spawner,
    workspace: approval.workspace,
    summary: approval.summary,
    state: approval.state,
    snapshot: approval.snapshot,
    snapshotSha256: approval.snapshotSha256,
    requestedAt: approval.requestedAt,
    expiresAt: approval.expiresAt,
    decidedAt: approval.decidedAt ?? null,
    decidedBy: approval.decidedBy ?? null,
    note: approval.note ?? null,
  };
}
