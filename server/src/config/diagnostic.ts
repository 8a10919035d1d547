/**
 * A problem in a configuration file, always with an exact place: line and
 * column (1-based, as people and editors' status bars count) and the offsets
 * they came from (for editors that count in offsets).
 */
import type { ConfigDiagnostic } from '../protocol';

export type { ConfigDiagnostic };
export type Severity = ConfigDiagnostic['severity'];

/** `file:line:col: message`, the form compilers use, which terminals and editors turn into links. */
export function formatDiagnostic(diagnostic: ConfigDiagnostic, file = diagnostic.file): string {
  const label = diagnostic.severity === 'warning' ? 'warning: ' : '';
  return `${file}:${diagnostic.line}:${diagnostic.column}: ${label}${diagnostic.message}`;
}

export function hasErrors(diagnostics: readonly ConfigDiagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
