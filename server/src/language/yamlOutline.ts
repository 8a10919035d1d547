/**
 * A forgiving, line-by-line view of a YAML document for completion and hover.
 * Mid-edit, a file is rarely valid YAML (`    comm` under a map, a `type:`
 * with no value yet), and a parser's tree then says little about where the
 * cursor is. Indentation still does: block-style YAML is indented with
 * spaces, so a line's parents are the nearest less-indented `key:` lines
 * above it. Flow style (`{type: shell}`) is not followed; completion simply
 * offers nothing inside it.
 */

/** A span of one line, in UTF-16 columns (what LSP positions count). */
export interface Span {
  text: string;
  start: number;
  end: number;
}

export interface OutlineLine {
  /** 0-based line number. */
  line: number;
  /** Column where the content starts (after any `- `). */
  indent: number;
  /** Column of the `-` when the line is a sequence item. */
  dashIndent?: number;
  /** `key:` on this line, with quotes removed from `text`. */
  key?: Span;
  /** What follows `key:` (or `- `) on the same line, without a trailing comment. */
  value?: Span;
  /** `key: |` or `key: >`: the more indented lines below are text, not keys. */
  opensBlockScalar: boolean;
  /** This line is inside a block scalar (or blank, or a comment): it has no structure. */
  isText: boolean;
  /** For a line within a block scalar's reach: the index of the `key: |` line that opened it. */
  scalarOwner?: number;
}

const LINE = /^( *)(-(?: +|$))?(.*)$/;
const KEY = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"{}[\],:&*!|>%@`-][^#:]*?|-[^\s#:][^#:]*?)[ \t]*:(?=[ \t]|$)[ \t]*(.*)$/;

export function outline(text: string): OutlineLine[] {
  const lines = text.split(/\r?\n|\r/);
  const out: OutlineLine[] = [];
  let owner: OutlineLine | undefined;
  lines.forEach((raw, line) => {
    const lead = /^ */.exec(raw)![0].length;
    const blank = raw.trim() === '' || raw.slice(lead).startsWith('#');
    if (owner && (blank || lead > (owner.dashIndent ?? owner.indent))) {
      out.push({ line, indent: lead, opensBlockScalar: false, isText: true, scalarOwner: owner.line });
      return;
    }
    owner = undefined;
    if (blank) {
      out.push({ line, indent: lead, opensBlockScalar: false, isText: true });
      return;
    }
    const parsed = parseLine(raw, line);
    if (parsed.opensBlockScalar) owner = parsed;
    out.push(parsed);
  });
  return out;
}

function parseLine(raw: string, line: number): OutlineLine {
  const m = LINE.exec(raw)!;
  const dashIndent = m[2] !== undefined ? m[1].length : undefined;
  const indent = m[1].length + (m[2]?.length ?? 0);
  const content = m[3];
  const key = KEY.exec(content);
  if (!key) {
    const value = valueSpan(content, indent);
    return { line, indent, dashIndent, value, opensBlockScalar: false, isText: false };
  }
  const keyText = unquote(key[1]);
  const valueStart = indent + content.length - key[2].length;
  const value = valueSpan(key[2], valueStart);
  return {
    line,
    indent,
    dashIndent,
    key: { text: keyText, start: indent, end: indent + key[1].length },
    value,
    opensBlockScalar: /^[|>][-+0-9]*$/.test(value?.text ?? ''),
    isText: false,
  };
}

function valueSpan(text: string, start: number): Span | undefined {
  // A comment starts at ` #` outside quotes; values here are short, so a plain scan will do.
  let end = text.length;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      if (i === 0 || /\s/.test(text[i - 1])) quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      end = i;
      break;
    }
  }
  const trimmed = text.slice(0, end).trimEnd();
  if (!trimmed) return undefined;
  return { text: unquote(trimmed), start, end: start + trimmed.length };
}

function unquote(text: string): string {
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) {
    try {
      return JSON.parse(text) as string;
    } catch {
      return text.slice(1, -1);
    }
  }
  if (text.length >= 2 && text.startsWith("'") && text.endsWith("'")) return text.slice(1, -1).replace(/''/g, "'");
  return text;
}

/** A key above a line that contains it. */
export interface Parent {
  key: string;
  /** Index into the outline. */
  index: number;
}

/**
 * The keys that contain a line whose content starts at `column`, outermost
 * first. A sequence item adds its index (`0`: which item does not matter
 * for the schema). `key:` followed by `- item` at the same indentation is
 * valid YAML, so a sequence item's parent may sit at the dash's own column.
 */
export function parentsOf(lines: readonly OutlineLine[], index: number, column: number, isItem: boolean): Parent[] {
  const parents: Parent[] = [];
  let limit = isItem ? column + 1 : column;
  if (isItem) parents.unshift({ key: '0', index });
  for (let i = index - 1; i >= 0 && limit > 0; i--) {
    const line = lines[i];
    if (line.isText) continue;
    if (line.dashIndent !== undefined) {
      if (line.indent < limit && line.key) {
        // `- name: x` then more keys of the same item below it.
        parents.unshift({ key: line.key.text, index: i });
        parents.unshift({ key: '0', index: i });
        limit = line.dashIndent + 1;
      } else if (line.dashIndent < limit && !isItem) {
        parents.unshift({ key: '0', index: i });
        limit = line.dashIndent + 1;
      }
      continue;
    }
    if (line.indent < limit && line.key) {
      parents.unshift({ key: line.key.text, index: i });
      limit = line.indent;
    }
  }
  return parents;
}

/**
 * The `key:` lines of the map that a line at `column` (below `parent`, or at
 * the top when there is none) belongs to, from the parent to the end of its
 * block, cursor line included.
 */
export function siblingsOf(lines: readonly OutlineLine[], parent: number | undefined, column: number): OutlineLine[] {
  const start = parent === undefined ? 0 : parent + 1;
  const parentIndent = parent === undefined ? -1 : lines[parent].indent;
  const found: OutlineLine[] = [];
  for (let i = start; i < lines.length; i++) {
    const line = lines[i];
    if (line.isText) continue;
    const at = line.dashIndent ?? line.indent;
    if (at <= parentIndent && !(line.dashIndent !== undefined && at === parentIndent)) break;
    if (line.indent === column && line.key && line.dashIndent === undefined) found.push(line);
  }
  return found;
}

/** The children of the map opened at `parent` (the document's top when undefined): the keys at its first child's indentation. */
export function childrenOf(lines: readonly OutlineLine[], parent: number | undefined): OutlineLine[] {
  const start = parent === undefined ? 0 : parent + 1;
  const first = lines.slice(start).find((line) => !line.isText);
  if (!first) return [];
  if (parent !== undefined && (first.dashIndent ?? first.indent) <= lines[parent].indent) return [];
  return siblingsOf(lines, parent, first.indent);
}
