/**
 * The host's durable list of workspaces (`state/workspaces.json`) and what the
 * user trusted in each (`state/trust.json`), keyed by the workspace's real
 * path. Both survive a host restart; a corrupt file is moved aside.
 */
import { readJsonOrQuarantine, writeFileAtomic } from '../common/atomicFile';
import type { Logger } from '../common/logger';
import type { TrustRecord } from '../config/trust';

export interface StoredWorkspace {
  root: string;
  addedAt: string;
}

interface WorkspacesFile { version: 1; workspaces: StoredWorkspace[] }
interface TrustFile { version: 1; workspaces: Record<string, TrustRecord> }

export class WorkspaceStore {
  private readonly workspaces = new Map<string, StoredWorkspace>();
  private readonly trust = new Map<string, TrustRecord>();

  constructor(private readonly workspacesFile: string, private readonly trustFile: string, private readonly log: Logger) {
    const corrupt = (file: string) => (movedTo: string, reason: string) => log.error('host.state', `${file} is corrupt (${reason}); moved it to ${movedTo}`);
    const stored = readJsonOrQuarantine<WorkspacesFile>(workspacesFile, corrupt(workspacesFile));
    for (const workspace of Array.isArray(stored?.workspaces) ? stored.workspaces : []) {
      if (workspace && typeof workspace.root === 'string') this.workspaces.set(workspace.root, workspace);
    }
    const trusted = readJsonOrQuarantine<TrustFile>(trustFile, corrupt(trustFile));
    for (const [root, record] of Object.entries(trusted?.workspaces ?? {})) {
      if (record && typeof record.entries === 'object' && record.entries !== null) this.trust.set(root, record);
    }
  }

  all(): StoredWorkspace[] {
    return [...this.workspaces.values()];
  }

  has(root: string): boolean {
    return this.workspaces.has(root);
  }

  add(root: string): StoredWorkspace {
    const found = this.workspaces.get(root);
    if (found) return found;
    const workspace = { root, addedAt: new Date().toISOString() };
    this.workspaces.set(root, workspace);
    this.saveWorkspaces();
    return workspace;
  }

  remove(root: string): boolean {
    if (!this.workspaces.delete(root)) return false;
    this.saveWorkspaces();
    if (this.trust.delete(root)) this.saveTrust();
    return true;
  }

  trustOf(root: string): TrustRecord | undefined {
    return this.trust.get(root);
  }

  setTrust(root: string, record: TrustRecord | undefined): void {
    if (record) this.trust.set(root, record);
    else this.trust.delete(root);
    this.saveTrust();
  }

  private saveWorkspaces(): void {
    this.write(this.workspacesFile, { version: 1, workspaces: this.all() } satisfies WorkspacesFile);
  }

  private saveTrust(): void {
    this.write(this.trustFile, { version: 1, workspaces: Object.fromEntries(this.trust) } satisfies TrustFile);
  }

  private write(file: string, data: unknown): void {
    try {
      writeFileAtomic(file, JSON.stringify(data, null, 1));
    } catch (error) {
      this.log.error('host.state', `could not write ${file}: ${(error as Error).message}`);
    }
  }
}
