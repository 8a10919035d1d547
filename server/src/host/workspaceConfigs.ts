/**
 * The host's configurations: one scope per registered workspace (its
 * superkick.yml over the user's config.yml) and one for the user's file
 * alone. Each file is watched; a change is loaded and validated first, and a
 * bad one leaves the last good configuration in force (the errors are logged
 * and kept for `superkick config check`). Changes go out per section, so a
 * later consumer restarts only what its own section changed.
 */
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import type { Logger } from '../common/logger';
import type { SuperkickPaths } from '../common/paths';
import { ResponseError } from 'vscode-jsonrpc';
import { ErrorCode, type ConfigStatus, type HeldBackEntry, type WorkspaceInfo } from '../protocol';
import { ConfigHolder } from '../config/configHolder';
import { formatDiagnostic } from '../config/diagnostic';
import { watchFile, type FileWatch } from '../config/fileWatcher';
import { ConfigLoader, type ConfigText, type LoadResult } from '../config/loadConfig';
import { maskSecrets } from '../config/mask';
import type { EffectiveConfig, SectionName } from '../config/sections';
import type { TemplateChecker } from '../config/templateHook';
import { trustAll } from '../config/trust';
import { realPath, workspaceFile } from '../config/workspaceRoot';
import { WorkspaceStore } from './workspaceStore';
import { ConfigLanguageService } from '../language';

const TAG = 'host.config';

interface Scope {
  /** The workspace root; null for the user's file alone. */
  root: string | null;
  holder: ConfigHolder;
  watch?: FileWatch;
  missing: boolean;
  /** What the last notice said, so an unchanged reload says nothing. */
  lastNotice?: string;
}

export interface ScopeChange {
  status: ConfigStatus;
  sections: SectionName[];
}

export interface SectionChangeEvent {
  workspace: string | null;
  section: SectionName;
  value: unknown;
  config: EffectiveConfig;
}

export interface WorkspaceConfigsEvents {
  /** A scope was read again and its status or its live sections changed. */
  changed: [ScopeChange];
  /** One section of one scope went live with a new value. */
  section: [SectionChangeEvent];
}

export interface WorkspaceConfigsOptions {
  /** The Liquid syntax check (server/src/templates/), when it is there. */
  checkTemplate?: TemplateChecker;
  env?: NodeJS.ProcessEnv;
}

export class WorkspaceConfigs extends EventEmitter<WorkspaceConfigsEvents> {
  private readonly loader: ConfigLoader;
  private readonly store: WorkspaceStore;
  private readonly user: Scope;
  private readonly scopes = new Map<string, Scope>();
  private userWatch: FileWatch | undefined;
  private language: ConfigLanguageService | undefined;

  constructor(private readonly paths: SuperkickPaths, private readonly log: Logger, private readonly options: WorkspaceConfigsOptions = {}) {
    super();
    this.loader = new ConfigLoader({ checkTemplate: options.checkTemplate });
    this.store = new WorkspaceStore(paths.workspacesState, paths.trustState, log);
    this.user = this.newScope(null);
  }

  /** Loads the user's file and every remembered workspace, and starts watching them. */
  start(): void {
    this.userWatch = this.watch(this.paths.userConfig, () => this.reloadAll());
    this.reload(this.user);
    for (const workspace of this.store.all()) this.open(workspace.root);
  }

  close(): void {
    this.userWatch?.close();
    for (const scope of this.scopes.values()) scope.watch?.close();
  }

  /** Registers a workspace (idempotent); returns its real path. */
  register(dir: string): string {
    const root = realPath(dir);
    const known = this.scopes.get(root);
    if (known && !known.missing) return root;
    if (!this.store.has(root)) {
      this.store.add(root);
      this.log.info(TAG, `registered workspace ${root}`);
    }
    this.open(root);
    return root;
  }

  remove(dir: string): string | null {
    const root = this.scopes.has(dir) ? dir : realPath(dir);
    const scope = this.scopes.get(root);
    const removed = this.store.remove(root);
    if (scope) {
      scope.watch?.close();
      this.scopes.delete(root);
    }
    if (removed) this.log.info(TAG, `removed workspace ${root}`);
    return removed || scope ? root : null;
  }

  list(): WorkspaceInfo[] {
    return this.store.all().map(({ root, addedAt }) => {
      const scope = this.scopes.get(root);
      const load = scope?.holder.latestLoad;
      const held = load?.heldBack.length ?? 0;
      return {
        root,
        file: workspaceFile(root),
        addedAt,
        missing: scope?.missing ?? !fs.existsSync(root),
        trustedEntries: (load?.commandEntries.length ?? 0) - held,
        heldBackEntries: held,
        ok: load?.ok ?? true,
      };
    });
  }

  /** Reads the files again now (a missed watch event must never leave a stale answer) and gives the status. */
  check(workspace: string | null): ConfigStatus {
    const scope = this.scopeFor(workspace);
    this.reload(scope);
    return this.status(scope);
  }

  /** The configuration in force, with secrets masked. */
  show(workspace: string | null): { status: ConfigStatus; config: Record<string, unknown> } {
    const scope = this.scopeFor(workspace);
    this.reload(scope);
    const live = scope.holder.liveLoad;
    return { status: this.status(scope), config: maskSecrets(scope.holder.config, new Set(live?.fromEnv ?? [])) as Record<string, unknown> };
  }

  /** Entries of a scope held back by workspace trust, as last read. */
  heldBackOf(workspace: string | null): HeldBackEntry[] {
    return this.status(this.scopeFor(workspace)).heldBack;
  }

  /** The live configuration of a scope (spawners, monitors, goals, … read their section here). */
  configOf(workspace: string | null): EffectiveConfig {
    return this.scopeFor(workspace).holder.config;
  }

  /**
   * The language features for editors, over this loader's schema (compiled
   * once) and the host's environment, with the user's file read from disk.
   */
  languageService(): ConfigLanguageService {
    this.language ??= new ConfigLanguageService({
      loader: this.loader,
      checkTemplate: this.options.checkTemplate ?? (() => []),
      userConfigFile: this.paths.userConfig,
      readUserConfig: () => readText(this.paths.userConfig),
      env: () => this.options.env ?? process.env,
    });
    return this.language;
  }

  allStatuses(): ConfigStatus[] {
    return [this.user, ...this.scopes.values()].map((scope) => this.status(scope));
  }

  /** Trusts every entry that runs commands, as written now; with `revoke`, none. */
  trust(dir: string, revoke = false): { workspace: string; trusted: HeldBackEntry[]; revoked: boolean } {
    const root = this.register(dir);
    const scope = this.scopes.get(root)!;
    if (revoke) {
      const had = Boolean(this.store.trustOf(root));
      this.store.setTrust(root, undefined);
      this.log.info(TAG, `trust revoked for workspace ${root}`);
      this.reload(scope);
      return { workspace: root, trusted: [], revoked: had };
    }
    this.reload(scope);
    const load = scope.holder.latestLoad;
    if (!load?.ok) {
      const first = load?.diagnostics.find((d) => d.severity === 'error');
      throw new ResponseError(ErrorCode.ConfigInvalid, `${workspaceFile(root)} has errors; fix them before trusting it${first ? ` (${formatDiagnostic(first)})` : ''}`);
    }
    const trusting = load.heldBack;
    this.store.setTrust(root, trustAll(load.commandEntries));
    this.log.info(TAG, `workspace ${root} trusted (${load.commandEntries.length} entries that run commands)`);
    this.reload(scope);
    return { workspace: root, trusted: trusting, revoked: false };
  }

  private scopeFor(workspace: string | null): Scope {
    if (workspace === null) return this.user;
    const root = this.register(workspace);
    return this.scopes.get(root)!;
  }

  private open(root: string): void {
    const scope = this.scopes.get(root) ?? this.newScope(root);
    this.scopes.set(root, scope);
    scope.watch?.close();
    scope.watch = undefined;
    scope.missing = !fs.existsSync(root);
    if (scope.missing) this.log.warn(TAG, `workspace ${root} does not exist (any more); it stays listed until removed`);
    else scope.watch = this.watch(workspaceFile(root), () => this.reload(scope));
    this.reload(scope);
  }

  private newScope(root: string | null): Scope {
    const holder = new ConfigHolder();
    const scope: Scope = { root, holder, missing: false };
    holder.on('section', ({ section, value }) => this.emit('section', { workspace: root, section, value, config: holder.config }));
    return scope;
  }

  private watch(file: string, onChange: () => void): FileWatch | undefined {
    try {
      return watchFile(file, onChange, (error) => this.log.warn(TAG, `stopped watching ${file}: ${error.message}`));
    } catch (error) {
      this.log.warn(TAG, `cannot watch ${file}: ${(error as Error).message}; changes are read on the next check`);
      return undefined;
    }
  }

  private reloadAll(): void {
    this.reload(this.user);
    for (const scope of this.scopes.values()) this.reload(scope);
  }

  private reload(scope: Scope): void {
    const result = this.loader.load({
      user: readText(this.paths.userConfig),
      workspace: scope.root === null ? undefined : readText(workspaceFile(scope.root)),
      env: this.options.env ?? process.env,
      trust: scope.root === null ? undefined : this.store.trustOf(scope.root),
    });
    const outcome = scope.holder.apply(result);
    const status = this.status(scope);
    const notice = JSON.stringify({ ok: status.ok, diagnostics: status.diagnostics, heldBack: status.heldBack });
    if (!outcome.changed.length && notice === scope.lastNotice) return;
    scope.lastNotice = notice;
    this.report(scope, result, outcome.changed);
    this.emit('changed', { status, sections: outcome.changed });
  }

  private report(scope: Scope, result: LoadResult, changed: SectionName[]): void {
    const name = scope.root ?? 'the user configuration';
    if (!result.ok) {
      for (const d of result.diagnostics) this.log.warn(TAG, formatDiagnostic(d));
      this.log.warn(TAG, `${name}: ${result.diagnostics.filter((d) => d.severity === 'error').length} error(s); keeping the last good configuration`);
      return;
    }
    if (changed.length) this.log.info(TAG, `${name}: configuration in force; changed: ${changed.join(', ')}`);
    for (const held of result.heldBack) this.log.info(TAG, `${held.file}:${held.line}:${held.column}: ${held.path} held back: ${held.reason}`);
  }

  private status(scope: Scope): ConfigStatus {
    const latest = scope.holder.latestLoad;
    return {
      workspace: scope.root,
      files: latest?.files ?? [],
      ok: latest?.ok ?? true,
      usingLastGood: scope.holder.usingLastGood,
      diagnostics: latest?.diagnostics ?? [],
      heldBack: latest?.ok ? latest.heldBack : (scope.holder.liveLoad?.heldBack ?? []),
    };
  }
}

/** A configuration file is a few kilobytes; one this big is a mistake, and the host must not load it whole. */
const MAX_CONFIG_BYTES = 1 << 20;

function readText(file: string): ConfigText {
  try {
    const size = fs.statSync(file).size;
    if (size > MAX_CONFIG_BYTES) return { file, text: undefined, error: `it is ${size} bytes; a configuration file may have at most ${MAX_CONFIG_BYTES}` };
    return { file, text: fs.readFileSync(file, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { file, text: undefined };
    return { file, text: undefined, error: (error as Error).message };
  }
}
