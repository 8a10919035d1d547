/**
 * Renders Superkick's Liquid templates for one workspace. A template is named
 * `<integration>/<name>` (`core/kickoff`, `datadog/alert_triggered`) and found,
 * first match wins, as:
 *   1. the config entry's own override (an inline template, or a `.liquid` path);
 *   2. `<workspace>/.superkick/templates/<integration>/<name>.liquid`;
 *   3. the shipped `templates/<integration>/<name>.liquid`.
 * `{% render "core/…" %}` finds partials the same way (2, then 3).
 *
 * Strict rendering (tests) throws on any undefined variable or filter. Lenient
 * rendering (the running host) renders anyway and logs a warning that names
 * what was missing: a prompt with a blank is better than no prompt, and the
 * log says what to fix.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Liquid, LiquidError, type Template } from 'liquidjs';
import type { Logger } from '../common/logger';
import { UserError } from '../common/userError';
import { LIQUID_OPTIONS, cleanMessage, liquidDiagnostics, lineColumn, type TemplateDiagnostic } from './checkTemplate';
import { DEFAULT_FILTER_ENVIRONMENT, superkickFilters, type FilterEnvironment } from './filters';
import { shippedTemplatesDir } from './shippedTemplates';
import type { TemplateContext } from './drops';

/** A config entry's own template: inline source, or a file (relative to the workspace root). */
export type TemplateOverride = { source: string } | { file: string };

/**
 * How a config value names its override: a single line ending in `.liquid` is
 * a path; anything else is the template itself.
 */
export function overrideFromConfig(value: string): TemplateOverride {
  const trimmed = value.trim();
  return !trimmed.includes('\n') && trimmed.endsWith('.liquid') ? { file: trimmed } : { source: value };
}

export type TemplateOrigin = 'config' | 'workspace' | 'shipped';

export interface ResolvedTemplate {
  name: string;
  source: string;
  origin: TemplateOrigin;
  /** The file it was read from; null for an inline override. */
  file: string | null;
}

export interface FileDiagnostic extends TemplateDiagnostic {
  /** The template file, or null for an inline override (offsets are then into the config value). */
  file: string | null;
  origin: TemplateOrigin;
}

/** A template that cannot be rendered: its diagnostics say where and why. */
export class TemplateError extends UserError {
  constructor(
    message: string,
    readonly template: ResolvedTemplate,
    readonly diagnostics: TemplateDiagnostic[],
  ) {
    super(message);
    this.name = 'TemplateError';
  }
}

export interface RenderOptions {
  /** Throw on undefined variables and filters (tests); otherwise warn and render. */
  strict?: boolean;
  override?: TemplateOverride;
}

export interface TemplateEngineOptions {
  workspaceRoot: string;
  log: Logger;
  /** Defaults to the templates that ship with this package. */
  shippedDir?: string;
  clock?: () => Date;
  nonce?: () => string;
}

const NAME = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)+$/;
const LOG_TAG = 'templates';
/** Parsed templates kept per engine; far above the number a workspace has, a bound against a config that churns. */
const MAX_CACHED = 500;

export class TemplateEngine {
  readonly workspaceRoot: string;
  readonly workspaceDir: string;
  readonly shippedDir: string;
  private readonly log: Logger;
  /** Parses with unknown filters as errors (always tried first). */
  private readonly liquid: Liquid;
  /** Parses with unknown filters passing values through (lenient fallback only). */
  private readonly forgiving: Liquid;
  private readonly parsed = new Map<string, Template[]>();

  constructor(options: TemplateEngineOptions) {
    this.workspaceRoot = path.resolve(options.workspaceRoot);
    this.workspaceDir = path.join(this.workspaceRoot, '.superkick', 'templates');
    this.shippedDir = options.shippedDir ?? shippedTemplatesDir();
    this.log = options.log;
    const env: FilterEnvironment = { clock: options.clock ?? DEFAULT_FILTER_ENVIRONMENT.clock, nonce: options.nonce ?? DEFAULT_FILTER_ENVIRONMENT.nonce };
    const root = [this.workspaceDir, this.shippedDir];
    this.liquid = new Liquid({ ...LIQUID_OPTIONS, root });
    this.forgiving = new Liquid({ ...LIQUID_OPTIONS, root, strictFilters: false });
    for (const [name, filter] of Object.entries(superkickFilters(env))) {
      this.liquid.registerFilter(name, filter);
      this.forgiving.registerFilter(name, filter);
    }
  }

  /** The template that `name` means here, following the resolution order. */
  resolve(name: string, override?: TemplateOverride): ResolvedTemplate {
    if (override && 'source' in override) return { name, source: override.source, origin: 'config', file: null };
    if (override) {
      const file = path.resolve(this.workspaceRoot, override.file);
      return { name, source: readTemplate(file, `the template file for ${name}`), origin: 'config', file };
    }
    if (!NAME.test(name)) throw new UserError(`template name "${name}" is not of the form <integration>/<name> (letters, digits, _ and -)`);
    for (const [origin, dir] of [['workspace', this.workspaceDir], ['shipped', this.shippedDir]] as const) {
      const file = path.join(dir, `${name}.liquid`);
      if (fs.existsSync(file)) return { name, source: readTemplate(file, `template ${name}`), origin, file };
    }
    throw new UserError(`no template named ${name}: neither ${path.join(this.workspaceDir, `${name}.liquid`)} nor a shipped one exists`);
  }

  /** Syntax errors of the template `name` resolves to (for config load: a bad template is a diagnostic, not a runtime surprise). */
  check(name: string, override?: TemplateOverride): FileDiagnostic[] {
    const template = this.resolve(name, override);
    try {
      this.parse(template, this.liquid);
      return [];
    } catch (error) {
      return liquidDiagnostics(error, template.source).map((d) => ({ ...d, file: template.file, origin: template.origin }));
    }
  }

  /** Syntax errors in every file under the workspace's `.superkick/templates/`. */
  checkWorkspace(): FileDiagnostic[] {
    const diagnostics: FileDiagnostic[] = [];
    for (const file of liquidFiles(this.workspaceDir)) {
      const name = path.relative(this.workspaceDir, file).slice(0, -'.liquid'.length).split(path.sep).join('/');
      try {
        diagnostics.push(...this.check(name));
      } catch (error) {
        diagnostics.push({ message: (error as Error).message, start: 0, end: 0, file, origin: 'workspace' });
      }
    }
    return diagnostics;
  }

  render(name: string, context: TemplateContext, options: RenderOptions = {}): string {
    const strict = options.strict ?? false;
    let template = this.resolve(name, options.override);
    let parsed: Template[];
    try {
      parsed = this.parse(template, this.liquid);
    } catch (error) {
      const diagnostics = liquidDiagnostics(error, template.source);
      if (strict) throw templateError(template, diagnostics);
      const unknownFilters = diagnostics.map((d) => /^undefined filter: (\S+)/.exec(d.message)?.[1]);
      if (unknownFilters.every(Boolean)) {
        this.log.warn(LOG_TAG, `${describe(template)}: unknown filter ${unknownFilters.join(', ')}; rendered with the value passed through unfiltered`);
        parsed = this.parse(template, this.forgiving);
      } else if (template.origin !== 'shipped' && NAME.test(name) && fs.existsSync(path.join(this.shippedDir, `${name}.liquid`))) {
        this.log.warn(LOG_TAG, `${templateError(template, diagnostics).message}; using the shipped ${name} instead`);
        template = { name, source: readTemplate(path.join(this.shippedDir, `${name}.liquid`), `template ${name}`), origin: 'shipped', file: path.join(this.shippedDir, `${name}.liquid`) };
        parsed = this.parse(template, this.liquid);
      } else {
        throw templateError(template, diagnostics);
      }
    }
    try {
      return this.liquid.renderSync(parsed, context, { strictVariables: true }) as string;
    } catch (error) {
      const diagnostics = liquidDiagnostics(error, template.source);
      const missing = undefinedVariables(error);
      if (strict || !missing) throw templateError(template, diagnostics);
      this.log.warn(LOG_TAG, `${describe(template)}: undefined ${missing.length === 1 ? 'variable' : 'variables'} ${missing.join(', ')} rendered as blank`);
      return this.liquid.renderSync(parsed, context, { strictVariables: false }) as string;
    }
  }

  private parse(template: ResolvedTemplate, liquid: Liquid): Template[] {
    const key = `${liquid === this.liquid ? 's' : 'f'}\0${template.source}`;
    const cached = this.parsed.get(key);
    if (cached) return cached;
    const parsed = liquid.parse(template.source);
    if (this.parsed.size >= MAX_CACHED) this.parsed.delete(this.parsed.keys().next().value as string);
    this.parsed.set(key, parsed);
    return parsed;
  }
}

function readTemplate(file: string, what: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read ${what} at ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function liquidFiles(dir: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return liquidFiles(full);
    return entry.isFile() && entry.name.endsWith('.liquid') ? [full] : [];
  });
}

function describe(template: ResolvedTemplate): string {
  return template.file ?? `the inline template for ${template.name}`;
}

function templateError(template: ResolvedTemplate, diagnostics: TemplateDiagnostic[]): TemplateError {
  const places = diagnostics.map((d) => {
    const { line, column } = lineColumn(template.source, d.start);
    return `${describe(template)}:${line}:${column}: ${d.message}`;
  });
  return new TemplateError(places.join('\n') || `${describe(template)}: cannot be rendered`, template, diagnostics);
}

/** The names of the undefined variables a render failed on, or undefined if it also failed for another reason. */
function undefinedVariables(error: unknown): string[] | undefined {
  // With catchAllErrors, errors come grouped, and a group may hold another group (an error inside a filter's arguments).
  const leaves = (item: unknown): unknown[] => {
    const nested = (item as { errors?: unknown }).errors;
    return item instanceof LiquidError && Array.isArray(nested) ? nested.flatMap(leaves) : [item];
  };
  const names = leaves(error).map((item) => {
    const original = (item as { originalError?: { variableName?: unknown; message?: unknown } }).originalError;
    if (typeof original?.variableName === 'string') return original.variableName;
    const message = typeof original?.message === 'string' ? original.message : item instanceof Error ? item.message : '';
    return /^undefined variable: ([^\s,]+)/.exec(cleanMessage(message))?.[1];
  });
  return names.every((name): name is string => Boolean(name)) ? [...new Set(names)] : undefined;
}
