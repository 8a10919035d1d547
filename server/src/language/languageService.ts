/**
 * The language features of superkick.yml, the user's config.yml and the
 * workspace's Liquid template files, over in-memory documents: diagnostics
 * (everything the configuration loader reports, at its exact ranges),
 * completion of keys, `type:` values, enum values and entry names, and hover
 * docs, all read from the composed schema. Pure apart from the two things it
 * is handed (the user's file as it is on disk, and the environment), so it
 * runs the same in the host and in a unit test.
 *
 * Completion and hover must work on what a person has mid-edit, which is
 * rarely valid YAML: they read the document through `yamlOutline` (lines and
 * indentation), never through a parse that could fail.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CompletionItemKind,
  DIAGNOSTIC_SOURCE,
  DiagnosticSeverity,
  InsertTextFormat,
  MarkupKind,
  type CompletionItem,
  type Diagnostic,
  type Hover,
  type Position,
  type Range,
} from '../protocol/language';
import type { ConfigDiagnostic } from '../config/diagnostic';
import type { ConfigLoader, ConfigText } from '../config/loadConfig';
import { ENTRY_NOUN } from '../config/sections';
import type { JsonSchema } from '../config/schema';
import type { TemplateChecker } from '../config/templateHook';
import type { IntegrationSection } from '../integrations';
import { documentKind } from './documentKind';
import { SchemaNavigator, type TypeAt } from './schemaNavigator';
import { childrenOf, outline, parentsOf, siblingsOf, type OutlineLine, type Parent } from './yamlOutline';

export interface LanguageServiceOptions {
  loader: ConfigLoader;
  checkTemplate: TemplateChecker;
  /** `$SUPERKICK_DIR/config.yml`: a document at this path is the user's file. */
  userConfigFile: string;
  /** The user's file as it is on disk now, merged under every workspace document. */
  readUserConfig: () => ConfigText;
  env: () => Record<string, string | undefined>;
}

/** Where the cursor is, as completion sees it. */
type CursorContext =
  | { kind: 'key'; column: number; partial: string; range: Range; keyOnly: boolean }
  | { kind: 'value'; column: number; key: string; partial: string; range: Range; needsSpace: boolean }
  | { kind: 'item'; dashColumn: number; partial: string; range: Range };

const KEY_PREFIX = /^( *)(- +)?([A-Za-z0-9_-]*)$/;
const VALUE_PREFIX = /^( *)(- +)?("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)[ \t]*:([ \t]*)([^\s#]*)$/;

export class ConfigLanguageService {
  private readonly schema: SchemaNavigator;

  constructor(private readonly options: LanguageServiceOptions) {
    this.schema = new SchemaNavigator(options.loader.schema);
  }

  /** Whether the host serves this document at all (superkick.yml, the user's config.yml, a workspace template). */
  serves(uri: string): boolean {
    return documentKind(uri, this.options.userConfigFile).kind !== 'other';
  }

  diagnose(doc: TextDocument): Diagnostic[] {
    const kind = documentKind(doc.uri, this.options.userConfigFile);
    const text = doc.getText();
    if (kind.kind === 'template') {
      return this.options.checkTemplate(text).map((problem) => toDiagnostic(doc, problem.start, problem.end, problem.message, 'error'));
    }
    if (kind.kind === 'other') return [];
    const env = this.options.env();
    const own: ConfigText = { file: kind.file, text };
    let diagnostics: ConfigDiagnostic[];
    if (kind.kind === 'user') {
      diagnostics = this.options.loader.load({ user: own, env }).diagnostics;
    } else {
      const merged = this.options.loader.load({ user: this.options.readUserConfig(), workspace: own, env });
      diagnostics = merged.diagnostics;
      // A user file that cannot be read or parsed stops the merge before validation; this document still deserves its own check.
      const ownReadErrors = diagnostics.some((d) => d.file === kind.file && d.severity === 'error');
      if (!merged.validated && !ownReadErrors) diagnostics = this.options.loader.load({ workspace: own, env }).diagnostics;
    }
    return diagnostics.filter((d) => d.file === kind.file).map((d) => toDiagnostic(doc, d.offset, d.endOffset, d.message, d.severity));
  }

  complete(doc: TextDocument, position: Position): CompletionItem[] {
    if (!this.isConfig(doc)) return [];
    const lines = outline(doc.getText());
    const lineText = lineAt(doc, position.line);
    const here = lines[position.line];
    if (!here) return [];
    const prefix = lineText.slice(0, position.character);
    if (here.scalarOwner !== undefined && leadingSpaces(prefix) > lines[here.scalarOwner].indent) return [];
    const context = cursorContext(lineText, position);
    if (!context) return [];

    if (context.kind === 'item') {
      const parents = parentsOf(lines, position.line, context.dashColumn, true);
      const typeAt = typeLookup(lines, parents);
      const path = parents.map((p) => p.key);
      const list = this.schema.at(path.slice(0, -1), typeAt);
      const item = this.schema.at(path, typeAt);
      return this.valueItems(list, item, lines, context.range, '');
    }

    const parents = parentsOf(lines, position.line, context.column, false);
    const own = { parent: parents.at(-1)?.index, column: context.column };
    const typeAt = typeLookup(lines, parents, own);
    const path = parents.map((p) => p.key);
    const map = this.schema.at(path, typeAt);
    if (!map) return [];

    if (context.kind === 'key') {
      const present = new Set(siblingsOf(lines, own.parent, own.column).filter((line) => line.line !== position.line).map((line) => line.key!.text));
      return this.keyItems(map, typeAt(path.length), present, context);
    }
    if (context.key === 'type' && this.schema.sectionOf(map)) {
      const section = this.schema.sectionOf(map) as IntegrationSection;
      return this.schema.entryTypes(map).map((entry, i) => ({
        label: entry.type,
        kind: CompletionItemKind.EnumMember,
        detail: `${ENTRY_NOUN[section] ?? section} type`,
        documentation: { kind: MarkupKind.Markdown, value: entry.summary },
        sortText: String(i).padStart(3, '0'),
        textEdit: { range: context.range, newText: `${context.needsSpace ? ' ' : ''}${entry.type}` },
      }));
    }
    const keySchema = this.schema.keys(map, typeAt(path.length)).get(context.key);
    return this.valueItems(keySchema, this.schema.resolve(keySchema), lines, context.range, context.needsSpace ? ' ' : '');
  }

  hover(doc: TextDocument, position: Position): Hover | null {
    if (!this.isConfig(doc)) return null;
    const lines = outline(doc.getText());
    const line = lines[position.line];
    if (!line || line.isText || !line.key) return null;
    const at = position.character;
    const onKey = at >= line.key.start && at <= line.key.end;
    const onValue = line.value !== undefined && at >= line.value.start && at <= line.value.end;
    if (!onKey && !onValue) return null;

    const parents = parentsOf(lines, position.line, line.indent, false);
    const segments: Parent[] = [...parents, { key: line.key.text, index: position.line }];
    const typeAt = typeLookup(lines, segments);
    const path = segments.map((s) => s.key);
    const map = this.schema.at(path.slice(0, -1), typeAt);
    if (!map) return null;

    if (onValue) {
      if (line.key.text !== 'type' || !this.schema.sectionOf(map)) return null;
      const section = this.schema.sectionOf(map) as IntegrationSection;
      const entry = this.schema.entryTypes(map).find((e) => e.type === line.value!.text);
      if (!entry) return null;
      return markdown(`**${entry.type}** (${ENTRY_NOUN[section] ?? section} type)\n\n${entry.summary}`, line.line, line.value!);
    }

    const node = this.schema.at(path, typeAt);
    if (!node) return null;
    const section = this.schema.sectionOf(node) as IntegrationSection | undefined;
    const name = path.filter((segment) => !/^\d+$/.test(segment)).join('.');
    let text = typeof node.description === 'string' ? node.description : '';
    if (section && !text) {
      // An entry's name: what the entry is comes from its `type:`.
      const type = typeAt(path.length);
      const entry = type === undefined ? undefined : this.schema.entryTypes(node).find((e) => e.type === type);
      const noun = ENTRY_NOUN[section] ?? section;
      text = entry ? `A **${entry.type}** ${noun}: ${entry.summary}` : `A ${noun} named ${line.key.text}; its \`type:\` says what kind.`;
    }
    if (!text) return null;
    return markdown(`**${name}**\n\n${text}`, line.line, line.key);
  }

  private isConfig(doc: TextDocument): boolean {
    const kind = documentKind(doc.uri, this.options.userConfigFile).kind;
    return kind === 'workspace' || kind === 'user';
  }

  private keyItems(map: JsonSchema, type: string | undefined, present: Set<string>, context: Extract<CursorContext, { kind: 'key' }>): CompletionItem[] {
    const required = this.schema.required(map, type);
    const items: CompletionItem[] = [];
    for (const [key, raw] of this.schema.keys(map, type)) {
      if (present.has(key)) continue;
      const schema = this.schema.resolve(raw) ?? {};
      const rank = key === 'type' ? 0 : required.has(key) ? 1 : 2;
      items.push({
        label: key,
        kind: CompletionItemKind.Property,
        detail: required.has(key) ? 'required' : undefined,
        documentation: typeof schema.description === 'string' ? { kind: MarkupKind.Markdown, value: schema.description } : undefined,
        sortText: `${rank}${key}`,
        insertTextFormat: context.keyOnly ? InsertTextFormat.PlainText : InsertTextFormat.Snippet,
        textEdit: { range: context.range, newText: context.keyOnly ? key : keySnippet(key, this.schema.shapeOf(raw)) },
      });
    }
    for (const name of this.schema.keyNames(map)) {
      if (present.has(name)) continue;
      items.push({
        label: name,
        kind: CompletionItemKind.Module,
        insertTextFormat: context.keyOnly ? InsertTextFormat.PlainText : InsertTextFormat.Snippet,
        textEdit: { range: context.range, newText: context.keyOnly ? name : keySnippet(name, 'map') },
      });
    }
    return items;
  }

  /** Values for a key or a list item: its enum or true/false, or the names of the entries it must refer to. */
  private valueItems(owner: JsonSchema | undefined, value: JsonSchema | undefined, lines: readonly OutlineLine[], range: Range, lead: string): CompletionItem[] {
    const items: CompletionItem[] = [];
    const resolved = this.schema.resolve(owner);
    const section = resolved ? this.schema.referenceOf(resolved) : undefined;
    if (section) {
      const sectionLine = childrenOf(lines, undefined).find((line) => line.key!.text === section);
      const names = sectionLine ? childrenOf(lines, sectionLine.line).map((line) => line.key!.text) : [];
      for (const name of names) {
        items.push({ label: name, kind: CompletionItemKind.Reference, detail: `an entry of ${section}`, textEdit: { range, newText: `${lead}${name}` } });
      }
    }
    for (const candidate of value ? this.schema.values(value) : []) {
      const text = typeof candidate === 'string' ? candidate : JSON.stringify(candidate);
      items.push({ label: text, kind: CompletionItemKind.Value, textEdit: { range, newText: `${lead}${text}` } });
    }
    return items;
  }
}

function toDiagnostic(doc: TextDocument, start: number, end: number, message: string, severity: ConfigDiagnostic['severity']): Diagnostic {
  return {
    range: { start: doc.positionAt(start), end: doc.positionAt(Math.max(start, end)) },
    severity: severity === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error,
    source: DIAGNOSTIC_SOURCE,
    message,
  };
}

function lineAt(doc: TextDocument, line: number): string {
  return doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$|\r$/, '');
}

function leadingSpaces(text: string): number {
  return /^ */.exec(text)![0].length;
}

/** What is being typed at the cursor: a key, the value after `key:`, or a list item; undefined elsewhere. */
function cursorContext(lineText: string, position: Position): CursorContext | undefined {
  const prefix = lineText.slice(0, position.character);
  const rest = lineText.slice(position.character);
  const word = /^[A-Za-z0-9_-]*/.exec(rest)![0];
  const rangeFrom = (start: number, end = position.character + word.length): Range => ({ start: { line: position.line, character: start }, end: { line: position.line, character: end } });

  const key = KEY_PREFIX.exec(prefix);
  if (key) {
    const [, spaces, dash, partial] = key;
    const start = position.character - partial.length;
    if (dash !== undefined) return { kind: 'item', dashColumn: spaces.length, partial, range: rangeFrom(start) };
    // A key being renamed keeps its own `:` and value.
    const keyOnly = /^[ \t]*:/.test(rest.slice(word.length));
    return { kind: 'key', column: spaces.length, partial, range: rangeFrom(start), keyOnly };
  }
  const value = VALUE_PREFIX.exec(prefix);
  if (value) {
    const [, spaces, dash, rawKey, gap, partial] = value;
    const keyText = /^["']/.test(rawKey) ? rawKey.slice(1, -1) : rawKey;
    const valueWord = /^[^\s#]*/.exec(rest)![0];
    const start = position.character - partial.length;
    return { kind: 'value', column: spaces.length + (dash?.length ?? 0), key: keyText, partial, range: rangeFrom(start, position.character + valueWord.length), needsSpace: gap === '' };
  }
  return undefined;
}

/**
 * The `type:` written in the map at each depth of `segments`: depth 0 is the
 * document's top, depth n the map opened by segments[n-1]. The cursor's own
 * map (`own`) is found by the cursor's indentation, as its first line may be
 * the half-typed one.
 */
function typeLookup(lines: readonly OutlineLine[], segments: readonly Parent[], own?: { parent: number | undefined; column: number }): TypeAt {
  return (depth) => {
    const members = own && depth === segments.length ? siblingsOf(lines, own.parent, own.column) : childrenOf(lines, depth === 0 ? undefined : segments[depth - 1].index);
    return members.find((line) => line.key!.text === 'type')?.value?.text;
  };
}

/** `key: ` for a scalar, `key:` and an indented line for a map, a `- ` item for a list. */
function keySnippet(key: string, shape: 'map' | 'list' | 'scalar'): string {
  const name = key.replace(/[$}\\]/g, '\\$&');
  if (shape === 'map') return `${name}:\n\t$0`;
  if (shape === 'list') return `${name}:\n\t- $0`;
  return `${name}: $0`;
}

function markdown(value: string, line: number, span: { start: number; end: number }): Hover {
  return { contents: { kind: MarkupKind.Markdown, value }, range: { start: { line, character: span.start }, end: { line, character: span.end } } };
}
