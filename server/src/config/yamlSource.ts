/**
 * One parsed configuration file: its text, the `yaml` document with source
 * ranges, and the way from a path in the data (`spawners/dd/type`) back to
 * the characters that wrote it.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { ConfigDiagnostic, Severity } from './diagnostic';

export interface YamlSource {
  file: string;
  text: string;
  doc: Document.Parsed;
  lines: LineCounter;
}

export type Range = readonly [start: number, end: number];

/** Where a data path was found: the value node and, when it sits in a map, its key. */
export interface Located {
  /** How many leading path segments were found (the whole path when equal to its length). */
  depth: number;
  value: Node | null;
  key: Node | null;
}

export function parseYamlSource(file: string, text: string): { source: YamlSource; diagnostics: ConfigDiagnostic[] } {
  const lines = new LineCounter();
  // merge: `<<: *defaults` is common in hand-written configs.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, merge: true, uniqueKeys: true });
  const source: YamlSource = { file, text, doc, lines };
  const diagnostics = [
    ...doc.errors.map((error) => diagnosticAt(source, error.pos, `YAML: ${firstLine(error.message)}`, 'error')),
    ...doc.warnings.map((warning) => diagnosticAt(source, warning.pos, `YAML: ${firstLine(warning.message)}`, 'warning')),
  ];
  return { source, diagnostics };
}

function firstLine(message: string): string {
  return message.split('\n')[0];
}

export function diagnosticAt(source: YamlSource, range: Range, message: string, severity: Severity = 'error'): ConfigDiagnostic {
  const clamp = (offset: number) => Math.max(0, Math.min(Number.isFinite(offset) ? offset : 0, source.text.length));
  const offset = clamp(range[0]);
  const endOffset = Math.max(offset, clamp(range[1]));
  const start = source.lines.linePos(offset);
  const end = source.lines.linePos(endOffset);
  return { file: source.file, severity, message, line: start.line, column: start.col, endLine: end.line, endColumn: end.col, offset, endOffset };
}

/** Follows `segments` through maps (by key) and sequences (by index) as far as the document goes. */
export function locate(source: YamlSource, segments: readonly string[]): Located {
  let value = (source.doc.contents as Node | null) ?? null;
  let key: Node | null = null;
  let depth = 0;
  for (const segment of segments) {
    if (isMap(value)) {
      const pair = value.items.find((item) => isPair(item) && keyText(item.key) === segment);
      if (!pair) break;
      key = (pair.key as Node | null) ?? null;
      value = (pair.value as Node | null) ?? null;
    } else if (isSeq(value)) {
      const index = Number(segment);
      const item = Number.isInteger(index) ? value.items[index] : undefined;
      if (item === undefined) break;
      key = null;
      value = (item as Node | null) ?? null;
    } else {
      break;
    }
    depth++;
  }
  return { depth, value, key };
}

/** The text of a map key as the data sees it (`toJS` turns every key into a string). */
export function keyText(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  if (key && typeof key === 'object' && 'toString' in key) return String(key);
  return String(key);
}

export function nodeRange(node: Node | null | undefined): Range | undefined {
  return node?.range ? [node.range[0], node.range[1]] : undefined;
}

/** The range of the whole document's content, or its first character when it is empty. */
export function documentRange(source: YamlSource): Range {
  return nodeRange(source.doc.contents as Node | null) ?? [0, Math.min(1, source.text.length)];
}
