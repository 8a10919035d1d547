/**
 * From file texts to the effective configuration: parse each file (keeping
 * source positions), interpolate env() in values, merge the workspace's file
 * over the user's, validate the merge against the composed schema, and hold
 * back whatever an untrusted workspace would run. Never throws on bad input:
 * every problem is a diagnostic with a position.
 */
import type { Integration } from '../integrations';
import { INTEGRATIONS } from '../integrations';
import { DRIVERS } from '../drivers';
import { hasErrors, type ConfigDiagnostic } from './diagnostic';
import { interpolateEnv } from './envInterpolation';
import { cameFromEnv, isPlainObject, mergeLayers, placeOf, type Layer } from './layers';
import { fromPointer, toPointer } from './pointer';
import type { HeldBackEntry } from '../protocol';
import { commandKeyPatterns, composeSchema, type JsonSchema } from './schema';
import type { EffectiveConfig } from './sections';
import type { TemplateChecker } from './templateHook';
import { commandEntries, heldBack, withoutHeldBack, type CommandEntry, type HeldBack, type TrustRecord } from './trust';
import { ConfigValidator } from './validate';
import { diagnosticAt, documentRange, parseYamlSource } from './yamlSource';

/** A configuration file's path and text; `text: undefined` when there is no such file. */
export interface ConfigText {
  file: string;
  text: string | undefined;
  /** Why it could not be read (other than not existing). */
  error?: string;
}

export interface LoadInput {
  /** `$SUPERKICK_DIR/config.yml`. */
  user?: ConfigText;
  /** The workspace's superkick.yml. */
  workspace?: ConfigText;
  env?: Record<string, string | undefined>;
  /** What the user trusted in this workspace. */
  trust?: TrustRecord;
}

export interface LoadResult {
  /** No errors (warnings allowed): `config` may go live. */
  ok: boolean;
  /** Every file was read and the merge was checked against the schema (false: stopped at a syntax, env() or read error). */
  validated: boolean;
  diagnostics: ConfigDiagnostic[];
  /** The merged configuration without held-back entries; empty when not ok. */
  config: EffectiveConfig;
  /** Workspace entries that would run commands and are not trusted. */
  heldBack: HeldBackEntry[];
  /** Every workspace entry that runs commands (what `superkick trust` would trust). */
  commandEntries: CommandEntry[];
  /** Pointers of effective values that came from env(), for masking. */
  fromEnv: string[];
  /** The files that exist and were read. */
  files: string[];
}

export interface LoaderOptions {
  integrations?: readonly Integration[];
  driverNames?: readonly string[];
  checkTemplate?: TemplateChecker;
}

export class ConfigLoader {
  readonly schema: JsonSchema;
  private readonly validator: ConfigValidator;
  private readonly commandPatterns: string[][];

  constructor(options: LoaderOptions = {}) {
    this.schema = composeSchema(options.integrations ?? INTEGRATIONS, options.driverNames ?? DRIVERS.map((d) => d.name));
    this.validator = new ConfigValidator(this.schema, options.checkTemplate);
    this.commandPatterns = commandKeyPatterns(this.schema);
  }

  load(input: LoadInput): LoadResult {
    const env = input.env ?? process.env;
    const diagnostics: ConfigDiagnostic[] = [];
    const layers: Layer[] = [];
    const files: string[] = [];
    for (const [kind, text] of [['user', input.user], ['workspace', input.workspace]] as const) {
      if (text?.error !== undefined) {
        files.push(text.file);
        diagnostics.push(unreadable(text.file, text.error));
        continue;
      }
      if (!text || text.text === undefined) continue;
      files.push(text.file);
      const layer = readLayer(kind, text.file, text.text, env, diagnostics);
      if (layer) layers.push(layer);
    }
    if (hasErrors(diagnostics)) return failed(diagnostics, files, false);

    diagnostics.push(...this.validator.validate(mergeLayers(layers), layers));
    if (hasErrors(diagnostics)) return failed(diagnostics, files, true);

    const workspace = layers.find((layer) => layer.kind === 'workspace');
    const beneath = mergeLayers(layers.filter((layer) => layer.kind !== 'workspace'), (layer) => layer.value);
    const commands = workspace ? commandEntries(workspace.written, this.commandPatterns, beneath as Record<string, unknown>) : [];
    const held = heldBack(commands, input.trust);
    const heldEntries = commands.filter((entry) => held.some((h) => h.pointer === entry.pointer));
    const config = mergeLayers(layers, (layer) => (layer.kind === 'workspace' ? withoutHeldBack(layer.value, heldEntries) : layer.value));
    const placed = workspace ? held.map((entry) => placeHeldBack(workspace, entry)) : [];
    return { ok: true, validated: true, diagnostics, config, heldBack: placed, commandEntries: commands, fromEnv: envPointers(config, layers), files };
  }
}

function readLayer(kind: Layer['kind'], file: string, text: string, env: Record<string, string | undefined>, diagnostics: ConfigDiagnostic[]): Layer | undefined {
  const { source, diagnostics: syntax } = parseYamlSource(file, text);
  diagnostics.push(...syntax);
  if (hasErrors(syntax)) return undefined;
  let written: unknown;
  try {
    written = source.doc.toJS();
  } catch (error) {
    // The yaml library refuses documents with too many alias expansions (a "billion laughs" file).
    diagnostics.push(diagnosticAt(source, documentRange(source), `YAML: ${(error as Error).message}`));
    return undefined;
  }
  if (written === null || written === undefined) written = {};
  if (!isPlainObject(written)) {
    diagnostics.push(diagnosticAt(source, documentRange(source), `the file must be a map of sections (server:, spawners:, monitors:, …), not ${Array.isArray(written) ? 'a list' : 'a single value'}`));
    return undefined;
  }
  const interpolation = interpolateEnv(source, env);
  diagnostics.push(...interpolation.diagnostics);
  if (interpolation.diagnostics.length) return undefined;
  const value = source.doc.toJS() as Record<string, unknown>;
  return { kind, source, value, written, fromEnv: interpolation.fromEnv };
}

function placeHeldBack(layer: Layer, entry: HeldBack): HeldBackEntry {
  const place = placeOf([layer], fromPointer(entry.pointer), 'key');
  const at = diagnosticAt(layer.source, place?.range ?? [0, 0], entry.reason);
  return { path: entry.path, reason: entry.reason, file: layer.source.file, line: at.line, column: at.column };
}

function unreadable(file: string, error: string): ConfigDiagnostic {
  return { file, severity: 'error', message: `cannot read the file: ${error}`, line: 1, column: 1, endLine: 1, endColumn: 1, offset: 0, endOffset: 0 };
}

function failed(diagnostics: ConfigDiagnostic[], files: string[], validated: boolean): LoadResult {
  return { ok: false, validated, diagnostics, config: {}, heldBack: [], commandEntries: [], fromEnv: [], files };
}

function envPointers(config: Record<string, unknown>, layers: readonly Layer[]): string[] {
  if (!layers.some((layer) => layer.fromEnv.size)) return [];
  const found: string[] = [];
  const visit = (value: unknown, segments: string[]) => {
    if (Array.isArray(value)) value.forEach((item, i) => visit(item, [...segments, String(i)]));
    else if (isPlainObject(value)) for (const [key, item] of Object.entries(value)) visit(item, [...segments, key]);
    else if (typeof value === 'string') {
      const pointer = toPointer(segments);
      if (cameFromEnv(layers, segments, pointer)) found.push(pointer);
    }
  };
  visit(config, []);
  return found;
}
