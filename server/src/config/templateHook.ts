/**
 * The hook through which template problems become configuration diagnostics.
 * The Liquid side (server/src/templates/) provides the checker; this side
 * knows only that it returns offsets into the template's text.
 */
import { isScalar, type Node } from 'yaml';
import type { Range } from './yamlSource';

export interface TemplateProblem {
  message: string;
  /** Offsets into the template source string, end exclusive. */
  start: number;
  end: number;
}

export type TemplateChecker = (source: string) => TemplateProblem[];

/**
 * Maps offsets in a scalar's value to offsets in the file. Plain, quoted and
 * literal block scalars spell the value with only quotes, a header and
 * indentation around it, so the value's characters are found in order in the
 * source; where that fails (escapes, folding) the whole scalar is given.
 */
export function valueToSource(text: string, node: Node | null, value: string): (offset: number) => number | undefined {
  const start = node?.range?.[0];
  const end = node?.range?.[1];
  if (start === undefined || end === undefined || !isScalar(node)) return () => undefined;
  const raw = text.slice(start, end);
  const isBlock = node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED';
  let j = isBlock ? raw.indexOf('\n') + 1 : 0;
  if (isBlock && j === 0) return () => undefined;
  const map: number[] = [];
  for (let i = 0; i < value.length && j < raw.length; j++) {
    if (raw[j] === value[i]) {
      map[i++] = start + j;
    }
  }
  if (map.length < value.length) return () => undefined;
  return (offset) => (offset >= value.length ? (map[value.length - 1] ?? start) + 1 : map[Math.max(0, offset)]);
}

/** The file range of a problem in a template value; the whole scalar when the offsets cannot be followed. */
export function templateProblemRange(text: string, node: Node | null, value: string, problem: TemplateProblem, whole: Range): Range {
  const toSource = valueToSource(text, node, value);
  const from = toSource(Math.max(0, Math.min(problem.start, value.length)));
  const to = toSource(Math.max(problem.start, Math.min(problem.end, value.length)));
  if (from === undefined || to === undefined) return whole;
  return [from, Math.max(from, to)];
}
