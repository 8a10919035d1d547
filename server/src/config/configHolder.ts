/**
 * The live configuration of one scope (a workspace, or the user alone): the
 * last good load. A load with errors never replaces it; the errors are kept
 * for `config check`. A good load that differs says which sections changed,
 * one event per section, so that only what depends on a section restarts.
 */
import { EventEmitter } from 'node:events';
import type { ConfigDiagnostic } from './diagnostic';
import type { LoadResult } from './loadConfig';
import { SECTIONS, type EffectiveConfig, type SectionName } from './sections';

export interface SectionChange {
  section: SectionName;
  /** The section's new value (undefined when it was removed). */
  value: unknown;
}

export interface ApplyOutcome {
  /** The load went live. */
  accepted: boolean;
  changed: SectionName[];
}

export interface ConfigHolderEvents {
  section: [SectionChange];
  /** After every load, good or bad, with what changed. */
  loaded: [ApplyOutcome & { result: LoadResult }];
}

export class ConfigHolder extends EventEmitter<ConfigHolderEvents> {
  private live: EffectiveConfig = {};
  private liveResult: LoadResult | undefined;
  private latest: LoadResult | undefined;

  /** The configuration in force: the last load without errors (empty before the first). */
  get config(): EffectiveConfig {
    return this.live;
  }

  /** The last load that went live. */
  get liveLoad(): LoadResult | undefined {
    return this.liveResult;
  }

  /** The most recent load, good or bad. */
  get latestLoad(): LoadResult | undefined {
    return this.latest;
  }

  /** Errors of the most recent load, when it was kept out. */
  get errors(): ConfigDiagnostic[] {
    return this.latest && !this.latest.ok ? this.latest.diagnostics : [];
  }

  /** Whether the configuration in force is older than the files (the newest load had errors). */
  get usingLastGood(): boolean {
    return Boolean(this.latest && !this.latest.ok);
  }

  apply(result: LoadResult): ApplyOutcome {
    this.latest = result;
    if (!result.ok) {
      const outcome = { accepted: false, changed: [] };
      this.emit('loaded', { ...outcome, result });
      return outcome;
    }
    const previous = this.live;
    this.live = result.config;
    this.liveResult = result;
    const changed = SECTIONS.filter((section) => !sameValue(previous[section], result.config[section]));
    for (const section of changed) this.emit('section', { section, value: result.config[section] });
    const outcome = { accepted: true, changed };
    this.emit('loaded', { ...outcome, result });
    return outcome;
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical((value as Record<string, unknown>)[key])]));
  }
  return value;
}
