/**
 * `<%= env("NAME") %>` and `<%= env("NAME", "fallback") %>` in configuration
 * values. Done on scalar values after the YAML is parsed, so a secret that
 * holds a colon, a newline or a `#` can never change the file's structure;
 * the result is always a string. Map keys are never interpolated.
 */
import { isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import type { ConfigDiagnostic } from './diagnostic';
import { diagnosticAt, keyText, type YamlSource } from './yamlSource';
import { toPointer } from './pointer';

const EXPRESSION = /<%=?([\s\S]*?)%>/g;
const ENV_CALL = /^\s*env\(\s*(?:"([^"]*)"|'([^']*)')\s*(?:,\s*(?:"([^"]*)"|'([^']*)')\s*)?\)\s*$/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface InterpolationResult {
  /** Pointers (`/server/api_key`) of values that came from the environment: masked by `config show`. */
  fromEnv: Set<string>;
  diagnostics: ConfigDiagnostic[];
}

/** Replaces expressions in the document's scalar values in place. */
export function interpolateEnv(source: YamlSource, env: Record<string, string | undefined>): InterpolationResult {
  const result: InterpolationResult = { fromEnv: new Set(), diagnostics: [] };
  const visit = (node: unknown, segments: string[]): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (isPair(pair)) visit(pair.value, [...segments, keyText(pair.key)]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => visit(item, [...segments, String(index)]));
    } else if (isScalar(node) && typeof node.value === 'string' && node.value.includes('<%')) {
      const replaced = interpolateScalar(source, node, env, result.diagnostics);
      if (replaced !== undefined) {
        node.value = replaced;
        result.fromEnv.add(toPointer(segments));
      }
    }
  };
  visit(source.doc.contents, []);
  return result;
}

function interpolateScalar(source: YamlSource, node: Node, env: Record<string, string | undefined>, diagnostics: ConfigDiagnostic[]): string | undefined {
  const value = (node as { value: string }).value;
  const nodeStart = node.range?.[0] ?? 0;
  const nodeEnd = node.range?.[1] ?? nodeStart;
  const raw = source.text.slice(nodeStart, nodeEnd);
  let searchFrom = 0;
  let failed = false;
  // Point at the expression itself when the source spells it as the value does (plain, or quoted without escapes).
  const rangeOf = (expression: string): [number, number] => {
    const at = raw.indexOf(expression, searchFrom);
    if (at < 0) return [nodeStart, nodeEnd];
    searchFrom = at + expression.length;
    return [nodeStart + at, nodeStart + at + expression.length];
  };
  const out = value.replace(EXPRESSION, (expression: string, body: string) => {
    const range = rangeOf(expression);
    const call = expression.startsWith('<%=') ? ENV_CALL.exec(body) : null;
    if (!call) {
      failed = true;
      diagnostics.push(diagnosticAt(source, range, `${expression}: only <%= env("NAME") %> and <%= env("NAME", "default") %> are understood here`));
      return expression;
    }
    const name = call[1] ?? call[2];
    const fallback = call[3] ?? call[4];
    if (!NAME.test(name)) {
      failed = true;
      diagnostics.push(diagnosticAt(source, range, `env("${name}"): not a variable name (letters, digits and _, not starting with a digit)`));
      return expression;
    }
    const found = env[name];
    if (found !== undefined) return found;
    if (fallback !== undefined) return fallback;
    failed = true;
    diagnostics.push(diagnosticAt(source, range, `environment variable ${name} is not set (set it where the host starts, or give a default: env("${name}", "…"))`));
    return expression;
  });
  if (failed) return undefined;
  if (value.replace(EXPRESSION, '').includes('<%')) {
    // An opening `<%` with no closing `%>`.
    diagnostics.push(diagnosticAt(source, rangeOf('<%'), 'an unclosed <% … %> expression'));
    return undefined;
  }
  return out;
}
