/**
 * Approvals for spawners configured with `approval: required`: a person says
 * yes or no before an event becomes an agent.
 *
 * - The snapshot is taken when the approval is asked and is exactly what the
 *   kickoff will inject. Approving approves THAT text: an issue edited after
 *   the request (a prompt-injection attempt, or an honest edit) does not
 *   change what the agent is told. The store keeps a deep copy and hands out
 *   copies, and records the snapshot's sha256 in the audit trail.
 * - Pending approvals persist (state/approvals.json, atomic writes) and expire
 *   at `expiresAt`; `expireDue(now)` marks them, and deciding one that is past
 *   its time marks it expired and refuses.
 * - Every change appends one line to the audit trail
 *   (state/approvals-audit.jsonl: who, when, what, the snapshot hash), fsynced,
 *   BEFORE the state file is saved: a crash in between leaves an audit line
 *   for a change that did not take (it is redone, and logged again), never a
 *   decision without its audit line. The trail is append-only and never pruned.
 * - Decided and expired approvals are kept in the state file for
 *   `retentionDays` (default 30) after they ended; the audit trail keeps them
 *   for good.
 * - One pending approval per dispatch key: asking again returns the pending
 *   one (`created: false`), so a replayed event does not ask twice.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readJsonOrQuarantine, writeFileAtomic } from '../common/atomicFile';
import type { Logger } from '../common/logger';
import { ensureDir } from '../common/secureDir';
import { sha256OfJson } from './canonicalJson';
import { ApprovalError } from './dispatchErrors';

export type ApprovalState = 'pending' | 'approved' | 'denied' | 'expired';
export type ApprovalDecision = 'approved' | 'denied';

export interface ApprovalRequest {
  /** The dispatch key this approval is for. */
  key: string;
  /** The spawner's name (from the configuration). */
  spawner: string;
  workspace: string;
  /** One line for people: what would be started. */
  summary: string;
  /** What the kickoff will inject, frozen now. JSON only. */
  snapshot: unknown;
  /** When it expires (ISO 8601 or a Date). */
  expiresAt: string | Date;
}

export interface Approval {
  /** Short id people type: `superkick approve 3f9a2c`. */
  id: string;
  key: string;
  spawner: string;
  workspace: string;
  summary: string;
  snapshot: unknown;
  snapshotSha256: string;
  state: ApprovalState;
  requestedAt: string;
  expiresAt: string;
  decidedAt?: string;
  decidedBy?: string;
  note?: string;
}

export interface AuditEntry {
  at: string;
  action: 'requested' | ApprovalDecision | 'expired';
  id: string;
  key: string;
  spawner: string;
  workspace: string;
  summary: string;
  snapshotSha256: string;
  /** The person (or 'superkick' for expiry). */
  by: string;
  note?: string;
}

export interface ApprovalStoreOptions {
  log: Logger;
  /** Defaults to approvals-audit.jsonl next to the state file. */
  auditFile?: string;
  retentionDays?: number;
  now?: () => number;
}

const FILE_VERSION = 1;
const DAY_MS = 24 * 60 * 60 * 1000;
const LOG_TAG = 'host.approvals';
/** 6 hex characters: short to type, 16M values; collisions are checked. */
const ID_BYTES = 3;

interface StoreFile {
  version: number;
  approvals: Approval[];
}

export class ApprovalStore {
  private readonly approvals = new Map<string, Approval>();
  private readonly log: Logger;
  private readonly auditFile: string;
  private readonly retentionMs: number;
  private readonly now: () => number;

  constructor(private readonly file: string, options: ApprovalStoreOptions) {
    this.log = options.log;
    this.auditFile = options.auditFile ?? path.join(path.dirname(file), 'approvals-audit.jsonl');
    const days = options.retentionDays ?? 30;
    if (!(days > 0)) throw new ApprovalError('invalid-request', `approval store: retentionDays must be a positive number of days (got ${days})`);
    this.retentionMs = days * DAY_MS;
    this.now = options.now ?? Date.now;
    this.load();
  }

  /** Asks for an approval, or returns the one already pending for this key. */
  request(request: ApprovalRequest): { approval: Approval; created: boolean } {
    const expiresAt = checkRequest(request);
    const pending = [...this.approvals.values()].find((approval) => approval.key === request.key && approval.state === 'pending');
    if (pending && Date.parse(pending.expiresAt) > this.now()) return { approval: copy(pending), created: false };
    if (pending) this.expire(pending);
    if (Date.parse(expiresAt) <= this.now()) throw new ApprovalError('invalid-request', `approval for "${request.key}": expiresAt ${expiresAt} is already past`);
    const approval: Approval = {
      id: this.newId(),
      key: request.key,
      spawner: request.spawner,
      workspace: request.workspace,
      summary: request.summary,
      // Through JSON: what is kept is exactly what is persisted and what reloads.
      snapshot: JSON.parse(JSON.stringify(request.snapshot)) as unknown,
      snapshotSha256: sha256OfJson(request.snapshot),
      state: 'pending',
      requestedAt: this.stamp(),
      expiresAt,
    };
    this.audit(approval, 'requested', 'superkick');
    this.approvals.set(approval.id, approval);
    this.saveOrUndo(() => this.approvals.delete(approval.id));
    return { approval: copy(approval), created: true };
  }

  /** Approves or denies a pending approval; clear errors for unknown, expired or already-decided ids. */
  decide(id: string, decision: ApprovalDecision, who: string, note?: string): Approval {
    if (decision !== 'approved' && decision !== 'denied') throw new ApprovalError('invalid-request', `a decision is "approved" or "denied" (got ${JSON.stringify(decision)})`);
    if (!who || typeof who !== 'string') throw new ApprovalError('invalid-request', 'say who decides (the audit trail records it)');
    const approval = this.approvals.get(id);
    if (!approval) throw new ApprovalError('unknown-approval', `no approval with id "${id}"; \`superkick approvals\` lists the pending ones`);
    if (approval.state === 'pending' && Date.parse(approval.expiresAt) <= this.now()) this.expire(approval);
    if (approval.state === 'expired') {
      throw new ApprovalError('expired', `approval ${id} (${approval.summary}) expired at ${approval.expiresAt}; the event must be delivered again to ask anew`);
    }
    if (approval.state !== 'pending') {
      throw new ApprovalError('already-decided', `approval ${id} was already ${approval.state} by ${approval.decidedBy} at ${approval.decidedAt}`);
    }
    const before = { ...approval };
    approval.state = decision;
    approval.decidedAt = this.stamp();
    approval.decidedBy = who;
    if (note) approval.note = note;
    this.audit(approval, decision, who, note);
    this.saveOrUndo(() => this.approvals.set(id, before));
    return copy(approval);
  }

  /** Marks every pending approval past its time as expired; returns them. */
  expireDue(now = this.now()): Approval[] {
    const due = [...this.approvals.values()].filter((approval) => approval.state === 'pending' && Date.parse(approval.expiresAt) <= now);
    return due.map((approval) => this.expire(approval));
  }

  get(id: string): Approval | undefined {
    const approval = this.approvals.get(id);
    return approval && copy(approval);
  }

  /** Pending approvals, oldest first (some may be past their time until expireDue runs). */
  pending(): Approval[] {
    return this.list().filter((approval) => approval.state === 'pending');
  }

  list(): Approval[] {
    return [...this.approvals.values()].map(copy).sort((a, b) => a.requestedAt.localeCompare(b.requestedAt) || a.id.localeCompare(b.id));
  }

  /** The audit trail as recorded (unreadable lines are skipped and logged). */
  auditTrail(): AuditEntry[] {
    let text: string;
    try {
      text = fs.readFileSync(this.auditFile, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const entries: AuditEntry[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        entries.push(JSON.parse(line) as AuditEntry);
      } catch {
        this.log.warn(LOG_TAG, `skipping an unreadable line of ${this.auditFile}`);
      }
    }
    return entries;
  }

  private expire(approval: Approval): Approval {
    const before = { ...approval };
    approval.state = 'expired';
    approval.decidedAt = this.stamp();
    approval.decidedBy = 'superkick';
    this.audit(approval, 'expired', 'superkick');
    this.saveOrUndo(() => this.approvals.set(approval.id, before));
    this.log.info(LOG_TAG, `approval ${approval.id} (${approval.summary}) expired`);
    return copy(approval);
  }

  private audit(approval: Approval, action: AuditEntry['action'], by: string, note?: string): void {
    const entry: AuditEntry = {
      at: this.stamp(),
      action,
      id: approval.id,
      key: approval.key,
      spawner: approval.spawner,
      workspace: approval.workspace,
      summary: approval.summary,
      snapshotSha256: approval.snapshotSha256,
      by,
      ...(note ? { note } : {}),
    };
    try {
      ensureDir(path.dirname(this.auditFile));
      const fd = fs.openSync(this.auditFile, 'a', 0o600);
      try {
        fs.writeSync(fd, `${JSON.stringify(entry)}\n`);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    } catch (error) {
      // No audit line, no change: an approval nobody can account for is worse than a refused one.
      throw new ApprovalError('not-saved', `could not write the approvals audit trail ${this.auditFile}: ${(error as Error).message}; nothing was changed`);
    }
  }

  private newId(): string {
    for (;;) {
      const id = crypto.randomBytes(ID_BYTES).toString('hex');
      if (!this.approvals.has(id)) return id;
    }
  }

  private stamp(): string {
    return new Date(this.now()).toISOString();
  }

  private load(): void {
    const loaded = readJsonOrQuarantine<StoreFile>(this.file, (movedTo, reason) =>
      // Losing pending approvals is safe: their dispatches stay claimed, and the
      // pipeline asks again when it resumes them (request is idempotent per key).
      // The audit trail still has every past decision.
      this.log.error(LOG_TAG, `approvals file ${this.file} is corrupt (${reason}); moved to ${movedTo}; pending approvals will be asked again`),
    );
    if (loaded && (loaded.version !== FILE_VERSION || !Array.isArray(loaded.approvals))) {
      // Not ours to overwrite: set it aside like a corrupt file.
      const movedTo = `${this.file}.unknown-layout-${new Date(this.now()).toISOString().replace(/[:.]/g, '-')}`;
      fs.renameSync(this.file, movedTo);
      this.log.error(LOG_TAG, `approvals file ${this.file} has an unknown layout (version ${String(loaded.version)}); moved to ${movedTo}; pending approvals will be asked again`);
      return;
    }
    for (const approval of loaded?.approvals ?? []) {
      if (approval && typeof approval.id === 'string') this.approvals.set(approval.id, approval);
    }
  }

  private prune(): void {
    const cutoff = this.now() - this.retentionMs;
    for (const [id, approval] of this.approvals) {
      if (approval.state !== 'pending' && approval.decidedAt && Date.parse(approval.decidedAt) < cutoff) this.approvals.delete(id);
    }
  }

  private saveOrUndo(undo: () => void): void {
    this.prune();
    try {
      ensureDir(path.dirname(this.file));
      writeFileAtomic(this.file, JSON.stringify({ version: FILE_VERSION, approvals: [...this.approvals.values()] } satisfies StoreFile, null, 1), 0o600);
    } catch (error) {
      undo();
      this.log.error(LOG_TAG, `could not save ${this.file}: ${(error as Error).message}`);
      throw new ApprovalError('not-saved', `could not save the approvals ${this.file}: ${(error as Error).message}`);
    }
  }
}

function checkRequest(request: ApprovalRequest): string {
  for (const field of ['key', 'spawner', 'workspace', 'summary'] as const) {
    if (typeof request[field] !== 'string' || !request[field].trim()) throw new ApprovalError('invalid-request', `an approval request needs a non-empty ${field}`);
  }
  if (request.snapshot === undefined) throw new ApprovalError('invalid-request', `approval for "${request.key}": the snapshot (what the kickoff will inject) is missing`);
  const expires = request.expiresAt instanceof Date ? request.expiresAt : new Date(request.expiresAt);
  if (Number.isNaN(expires.getTime())) throw new ApprovalError('invalid-request', `approval for "${request.key}": expiresAt ${JSON.stringify(request.expiresAt)} is not a date`);
  return expires.toISOString();
}

function copy(approval: Approval): Approval {
  return structuredClone(approval);
}
