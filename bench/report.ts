/** Result rows and the final table. */

export interface Row {
  section: string;
  figure: string;
  unit: string;
  superkick: number | undefined;
  /** The peer's figure (tmux for terminals; a section's title names any other peer); undefined: it has no counterpart. */
  tmux: number | undefined;
  /** The target as text, and whether this run met it (undefined: not judged). */
  target?: string;
  met?: boolean;
  /** Printed under the table. */
  note?: string;
}

function fmt(value: number | undefined, unit: string): string {
  if (value === undefined || Number.isNaN(value)) return '—';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${unit}`;
}

export function ratio(row: Pick<Row, 'superkick' | 'tmux'>): number | undefined {
  if (row.superkick === undefined || row.tmux === undefined || !row.tmux || Number.isNaN(row.superkick) || Number.isNaN(row.tmux)) return undefined;
  return row.superkick / row.tmux;
}

export function formatTable(rows: Row[]): string {
  const header = ['figure', 'superkick', 'peer', 'ratio', 'target', 'met'];
  // A section title is printed on its own line; other lines are table rows.
  const lines: Array<string | string[]> = [];
  let section = '';
  for (const row of rows) {
    if (row.section !== section) {
      section = row.section;
      lines.push(`${section}`);
    }
    const r = ratio(row);
    lines.push([
      `  ${row.figure}`,
      fmt(row.superkick, row.unit),
      fmt(row.tmux, row.unit),
      r === undefined ? '—' : `${r.toFixed(2)}x`,
      row.target ?? '',
      row.met === undefined ? '' : row.met ? 'yes' : 'NO',
    ]);
  }
  const cells = lines.filter((line): line is string[] => Array.isArray(line));
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((line) => line[i].length)));
  const format = (row: string[]) => row.map((cell, i) => (i === 0 || i === 4 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const out = [format(header), rule];
  for (const line of lines) out.push(typeof line === 'string' ? line : format(line));
  out.push(rule);
  out.push('ratio = superkick / peer; the peer is tmux unless the section names another. Throughput: higher is better; times, bytes and memory: lower is better.');
  const notes = rows.filter((row) => row.note).map((row) => `* ${row.figure}: ${row.note}`);
  if (notes.length) out.push(...notes);
  return out.join('\n');
}
