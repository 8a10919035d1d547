/**
 * Validates merged configuration data against the composed schema (ajv) and
 * turns every ajv error into a diagnostic with a message for people and the
 * exact range in the file that wrote the offending value.
 */
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { ConfigDiagnostic } from './diagnostic';
import { diagnosticAt } from './yamlSource';
import { placeOf, type Layer } from './layers';
import { dotted, fromPointer } from './pointer';
import { didYouMean } from './didYouMean';
import { ENTRY_NOUN } from './sections';
import { templateProblemRange, type TemplateChecker } from './templateHook';
import {
  ACYCLIC_KEYWORD,
  ANNOTATION_KEYWORDS,
  NAME_OF_KEYWORD,
  ONE_OF_MESSAGE_KEYWORD,
  REFERENCE_KEYWORD,
  REGEXP_KEYWORD,
  TEMPLATE_KEYWORD,
  TYPE_OF_KEYWORD,
  type JsonSchema,
} from './schema';
import type { IntegrationSection } from '../integrations';

interface TemplateValue { pointer: string; source: string }

export class ConfigValidator {
  private readonly validateFn: ValidateFunction;
  /** Template values met during one validation; ajv calls keywords synchronously, so one list per run is safe. */
  private templates: TemplateValue[] = [];

  constructor(schema: JsonSchema, private readonly checkTemplate?: TemplateChecker) {
    const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, strictRequired: false, strictTypes: false, allowUnionTypes: true });
    addFormats(ajv);
    for (const keyword of ANNOTATION_KEYWORDS) ajv.addKeyword({ keyword });
    ajv.addKeyword({
      keyword: TEMPLATE_KEYWORD,
      schemaType: 'boolean',
      validate: (_enabled: boolean, data: unknown, _parent: unknown, cxt?: { instancePath: string }) => {
        if (typeof data === 'string' && cxt) this.templates.push({ pointer: cxt.instancePath, source: data });
        return true;
      },
    });
    ajv.addKeyword({
      keyword: REGEXP_KEYWORD,
      schemaType: 'boolean',
      errors: true,
      validate: function regexp(_enabled: boolean, data: unknown) {
        if (typeof data !== 'string') return true;
        try {
          new RegExp(data, 'm');
          return true;
        } catch (error) {
          (regexp as { errors?: Partial<ErrorObject>[] }).errors = [{ keyword: REGEXP_KEYWORD, message: `not a valid regular expression: ${(error as Error).message}`, params: {} }];
          return false;
        }
      },
    });
    ajv.addKeyword({
      keyword: REFERENCE_KEYWORD,
      schemaType: 'string',
      errors: true,
      validate: function reference(section: string, data: unknown, _parent: unknown, cxt?: { rootData: unknown }) {
        const root = cxt?.rootData as Record<string, unknown> | undefined;
        const entries = root && typeof root[section] === 'object' && root[section] !== null ? Object.keys(root[section] as object) : [];
        const names = Array.isArray(data) ? data : [data];
        const missing = names.filter((name) => typeof name === 'string' && !entries.includes(name));
        if (!missing.length) return true;
        (reference as { errors?: Partial<ErrorObject>[] }).errors = missing.map((name) => ({
          keyword: REFERENCE_KEYWORD,
          message: `there is no "${name}" under ${section}${didYouMean(String(name), entries)}${entries.length ? `; ${section}: ${entries.join(', ')}` : ''}`,
          params: { name },
        }));
        return false;
      },
    });
    ajv.addKeyword({
      keyword: ACYCLIC_KEYWORD,
      schemaType: 'string',
      errors: true,
      // `spawners.a.next: b`, `spawners.b.next: a` would start agents forever: the chain from this entry must end.
      validate: function acyclic(section: string, data: unknown, _parent: unknown, cxt?: { rootData: unknown; instancePath: string }) {
        const start = fromPointer(cxt?.instancePath ?? '')[1];
        const entries = (cxt?.rootData as Record<string, unknown> | undefined)?.[section] as Record<string, { next?: unknown }> | undefined;
        if (typeof data !== 'string' || !start || !entries) return true;
        const chain = [start];
        for (let at: unknown = data; typeof at === 'string' && at in entries; at = entries[at]?.next) {
          chain.push(at);
          if (at === start) {
            (acyclic as { errors?: Partial<ErrorObject>[] }).errors = [{ keyword: ACYCLIC_KEYWORD, message: `the workflow loops: ${chain.join(' → ')}; a step's next must lead to an end`, params: {} }];
            return false;
          }
          if (chain.indexOf(at) !== chain.length - 1) return true;
        }
        return true;
      },
    });
    this.validateFn = ajv.compile(schema);
  }

  validate(data: Record<string, unknown>, layers: readonly Layer[]): ConfigDiagnostic[] {
    this.templates = [];
    const valid = this.validateFn(data);
    const diagnostics = valid ? [] : describeErrors(this.validateFn.errors ?? [], layers);
    diagnostics.push(...this.templateDiagnostics(layers));
    return dedupe(diagnostics).sort(byPlace(layers));
  }

  private templateDiagnostics(layers: readonly Layer[]): ConfigDiagnostic[] {
    if (!this.checkTemplate) return [];
    const out: ConfigDiagnostic[] = [];
    const seen = new Set<string>();
    for (const { pointer, source } of this.templates) {
      if (seen.has(pointer)) continue;
      seen.add(pointer);
      const segments = fromPointer(pointer);
      const place = placeOf(layers, segments);
      if (!place) continue;
      let problems;
      try {
        problems = this.checkTemplate(source);
      } catch (error) {
        problems = [{ message: `the template checker failed: ${(error as Error).message}`, start: 0, end: source.length }];
      }
      for (const problem of problems) {
        const range = templateProblemRange(place.source.text, place.node, source, problem, place.range);
        out.push(diagnosticAt(place.source, range, `${dotted(segments)}: ${problem.message}`));
      }
    }
    return out;
  }
}

function describeErrors(errors: ErrorObject[], layers: readonly Layer[]): ConfigDiagnostic[] {
  // A oneOf with its own message speaks for all its branches.
  const summarised = errors.filter((e) => e.keyword === 'oneOf' && (e.parentSchema as JsonSchema | undefined)?.[ONE_OF_MESSAGE_KEYWORD]);
  const hidden = (e: ErrorObject) =>
    e.keyword === 'if' ||
    // propertyNames reports the name once as `enum` (with propertyName) and again as itself.
    (e.keyword === 'propertyNames') ||
    summarised.some((s) => e !== s && e.schemaPath.startsWith(`${s.schemaPath}/`) && e.instancePath.startsWith(s.instancePath));
  const out: ConfigDiagnostic[] = [];
  for (const error of errors) {
    if (hidden(error)) continue;
    const described = describe(error);
    const place = placeOf(layers, described.segments, described.part);
    if (place) out.push(diagnosticAt(place.source, place.range, `${dotted(described.segments)}: ${described.message}`));
  }
  return out;
}

function describe(error: ErrorObject): { segments: string[]; part: 'key' | 'value'; message: string } {
  const segments = fromPointer(error.instancePath);
  const parent = (error.parentSchema ?? {}) as JsonSchema;
  const params = error.params as Record<string, unknown>;
  const propertyName = (error as ErrorObject & { propertyName?: string }).propertyName;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = Object.keys((parent.properties ?? {}) as object);
      const hint = allowed.length ? `${didYouMean(key, allowed)}; allowed here: ${allowed.join(', ')}` : '; no keys are allowed here';
      return { segments: [...segments, key], part: 'key', message: `unknown key "${key}"${hint}` };
    }
    case 'required':
      return { segments, part: 'key', message: `missing required key "${String(params.missingProperty)}"` };
    case 'enum': {
      const allowed = (params.allowedValues ?? []) as unknown[];
      const names = allowed.map(String);
      if (propertyName !== undefined) {
        const noun = typeof parent[NAME_OF_KEYWORD] === 'string' ? parent[NAME_OF_KEYWORD] : 'name';
        return { segments: [...segments, propertyName], part: 'key', message: `unknown ${noun} "${propertyName}"${didYouMean(propertyName, names)}; known: ${names.join(', ')}` };
      }
      const section = parent[TYPE_OF_KEYWORD] as IntegrationSection | undefined;
      if (section) {
        const noun = ENTRY_NOUN[section];
        const known = names.length ? `known ${noun} types: ${names.join(', ')}` : `no ${noun} types are registered`;
        return { segments, part: 'value', message: `unknown ${noun} type ${JSON.stringify(error.data)}${didYouMean(String(error.data), names)}; ${known}` };
      }
      return { segments, part: 'value', message: `${JSON.stringify(error.data)} is not one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}${didYouMean(String(error.data), names)}` };
    }
    case 'type':
      return { segments, part: 'value', message: `must be ${article(String(params.type))}, not ${kindOf(error.data)}` };
    case 'oneOf': {
      const custom = parent[ONE_OF_MESSAGE_KEYWORD];
      return { segments, part: 'key', message: typeof custom === 'string' ? custom : 'matches none (or more than one) of the allowed forms' };
    }
    case 'format':
      return { segments, part: 'value', message: `must be a ${String(params.format)}` };
    case 'pattern':
      return { segments, part: 'value', message: `${JSON.stringify(error.data)} does not have the expected form (${String(params.pattern)})` };
    default:
      return { segments, part: 'value', message: error.message ?? `fails ${error.keyword}` };
  }
}

function article(type: string): string {
  const names: Record<string, string> = { object: 'a map', array: 'a list', string: 'a string', integer: 'a whole number', number: 'a number', boolean: 'true or false', null: 'empty' };
  return type.split(',').map((t) => names[t] ?? t).join(' or ');
}

function kindOf(value: unknown): string {
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 39)}…` : value)}`;
  return `${typeof value === 'number' && Number.isInteger(value) ? 'the number' : typeof value} ${String(value)}`;
}

/** In file order (the user's file first), then by position. */
function byPlace(layers: readonly Layer[]): (a: ConfigDiagnostic, b: ConfigDiagnostic) => number {
  const order = (file: string) => layers.findIndex((layer) => layer.source.file === file);
  return (a, b) => order(a.file) - order(b.file) || a.offset - b.offset || a.endOffset - b.endOffset;
}

function dedupe(diagnostics: ConfigDiagnostic[]): ConfigDiagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.file}:${d.offset}:${d.endOffset}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
