/**
 * Syntax check for one template's source, with offsets into that source.
 * Pure and fast (one parse, no file access): the config loader calls it for
 * every value marked `x-superkick-template`, and the language server for every
 * keystroke. Unknown filters and tags are errors here, so a typo shows up in
 * the editor instead of as a blank in a prompt.
 */
import { Liquid, LiquidError } from 'liquidjs';
import { superkickFilters } from './filters';

export interface TemplateDiagnostic {
  message: string;
  /** Offset of the first character at fault, in UTF-16 code units (JavaScript string indices). */
  start: number;
  /** Offset just past the last character at fault. */
  end: number;
}

/** The options every Superkick Liquid instance shares, so checking and rendering agree on what is valid. */
export const LIQUID_OPTIONS = {
  strictFilters: true,
  // `{% if url %}` and `| default:` may test a variable that is absent; anything else that reads one fails in strict mode.
  lenientIf: true,
  catchAllErrors: true,
  ownPropertyOnly: true,
  extname: '.liquid',
  relativeReference: false,
} as const;

let checker: Liquid | undefined;

function checkingEngine(): Liquid {
  if (!checker) {
    checker = new Liquid(LIQUID_OPTIONS);
    for (const [name, filter] of Object.entries(superkickFilters())) checker.registerFilter(name, filter);
  }
  return checker;
}

export function checkTemplate(source: string): Array<{ message: string; start: number; end: number }> {
  try {
    checkingEngine().parse(source);
    return [];
  } catch (error) {
    return liquidDiagnostics(error, source);
  }
}

/** Every error a parse or render failure carries, as diagnostics with offsets into `source`. */
export function liquidDiagnostics(error: unknown, source: string): TemplateDiagnostic[] {
  const errors: unknown[] = isLiquidErrors(error) ? error.errors : [error];
  return errors.map((item) => toDiagnostic(item, source));
}

function isLiquidErrors(error: unknown): error is { errors: unknown[] } {
  return error instanceof LiquidError && Array.isArray((error as { errors?: unknown }).errors);
}

/** liquidjs appends `, file:F`, `, line:L, col:C` and a source excerpt; a diagnostic carries its range instead. */
export function cleanMessage(message: string): string {
  return message.split('\n')[0].replace(/(, file:.*?)?(, line:\d+, col:\d+)?$/, '').trim();
}

function toDiagnostic(error: unknown, source: string): TemplateDiagnostic {
  const message = cleanMessage(error instanceof Error ? error.message : String(error));
  const token = error instanceof LiquidError ? error.token : undefined;
  if (!token || token.input !== source) return { message, start: 0, end: source.length };
  return { message, ...narrow(message, source, token.begin, token.end) };
}

/** Points at the unknown name itself rather than the whole `{{ … }}` or `{% … %}` around it. */
function narrow(message: string, source: string, begin: number, end: number): { start: number; end: number } {
  const name = /^undefined filter: (\S+)/.exec(message)?.[1] ?? /^tag "([^"]+)" not found/.exec(message)?.[1];
  if (!name) return { start: begin, end };
  const text = source.slice(begin, end);
  const pattern = message.startsWith('undefined filter') ? new RegExp(`\\|\\s*(${escapeRegExp(name)})\\b`) : new RegExp(`^\\{%-?\\s*(${escapeRegExp(name)})`);
  const found = pattern.exec(text);
  if (!found) return { start: begin, end };
  const at = begin + found.index + found[0].length - name.length;
  return { start: at, end: at + name.length };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** 1-based line and column of an offset, for messages that name a place in a file. */
export function lineColumn(source: string, offset: number): { line: number; column: number } {
  const before = source.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}
