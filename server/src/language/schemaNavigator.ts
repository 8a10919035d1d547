/**
 * Walks the composed configuration schema by data path for completion and
 * hover: follows `$ref`, and for an entry of spawners, monitors, notifiers,
 * goals or runtime picks the integration's fragment by the `type:` written in
 * that entry, as the validator does. Reads only the schema, so whatever the
 * loader composes (every integration's keys and summaries) is what an editor
 * offers.
 */
import { REFERENCE_KEYWORD, TYPE_OF_KEYWORD, type JsonSchema } from '../config/schema';

/** One registered `type:` of a section, with the integration's one-line summary. */
export interface EntryType {
  type: string;
  summary: string;
}

/** The `type:` written in the map at each depth of a path (0: the document's top). */
export type TypeAt = (depth: number) => string | undefined;

/** `$ref` chains in the schema are one or two long; a bound keeps a cyclic one from looping. */
const MAX_REF_HOPS = 8;

export class SchemaNavigator {
  private readonly defs: Record<string, JsonSchema>;

  constructor(readonly root: JsonSchema) {
    this.defs = (root.$defs ?? {}) as Record<string, JsonSchema>;
  }

  /** The node with its `$ref` followed; the referring node's own keywords (its description) win. */
  resolve(node: JsonSchema | undefined): JsonSchema | undefined {
    let current = node;
    for (let hop = 0; current && typeof current.$ref === 'string' && hop < MAX_REF_HOPS; hop++) {
      const ref = current.$ref;
      const target = ref.startsWith('#/$defs/') ? this.defs[ref.slice('#/$defs/'.length)] : undefined;
      const { $ref: _ref, ...own } = current;
      current = target ? { ...target, ...own } : own;
    }
    return current;
  }

  /** The schema of the value at `path`, or undefined where the schema allows nothing there. */
  at(path: readonly string[], typeAt: TypeAt): JsonSchema | undefined {
    let node = this.resolve(this.root);
    for (let depth = 0; depth < path.length && node; depth++) {
      node = this.resolve(this.child(node, path[depth], typeAt(depth)));
    }
    return node;
  }

  /** The keys a map at this node may have, each with its (unresolved) schema. */
  keys(node: JsonSchema, type: string | undefined): Map<string, JsonSchema> {
    const own = (node.properties ?? {}) as Record<string, JsonSchema>;
    const keys = new Map<string, JsonSchema>();
    const branch = this.branchFor(node, type);
    const section = this.sectionOf(node);
    const extra = branch ? props(branch) : section ? props(this.defs[`${section}Common`]) : {};
    for (const [key, schema] of Object.entries(extra)) keys.set(key, schema);
    // The entry's own `type` carries the registered types; the fragment's copy does not.
    for (const [key, schema] of Object.entries(own)) keys.set(key, schema);
    return keys;
  }

  /** The keys a map at this node must have, the chosen type's own included. */
  required(node: JsonSchema, type: string | undefined): Set<string> {
    const branch = this.branchFor(node, type);
    return new Set([...((node.required ?? []) as string[]), ...((branch?.required ?? []) as string[])]);
  }

  /** Names the map's keys must be among (the `drivers:` section), if the schema lists them. */
  keyNames(node: JsonSchema): string[] {
    const names = this.resolve(node.propertyNames as JsonSchema | undefined)?.enum;
    return Array.isArray(names) ? names.map(String) : [];
  }

  /** The section whose registered types this entry's `type:` names (`monitors`), if it is such an entry. */
  sectionOf(node: JsonSchema): string | undefined {
    const typeKey = this.resolve(props(node).type);
    const section = typeKey?.[TYPE_OF_KEYWORD];
    return typeof section === 'string' ? section : undefined;
  }

  /** The registered types of an entry schema, with their summaries. */
  entryTypes(node: JsonSchema): EntryType[] {
    const names = (this.resolve(props(node).type)?.enum ?? []) as unknown[];
    return names.map(String).map((type) => ({ type, summary: String(this.branchFor(node, type)?.description ?? '') }));
  }

  /** Values a scalar here may take: its enum, or true/false. */
  values(node: JsonSchema): unknown[] {
    if (Array.isArray(node.enum)) return node.enum;
    if (node.const !== undefined) return [node.const];
    if (node.type === 'boolean') return [true, false];
    return [];
  }

  /** The section whose entry names a value here must be (`goal:` → goals), if any. */
  referenceOf(node: JsonSchema): string | undefined {
    const section = node[REFERENCE_KEYWORD];
    return typeof section === 'string' ? section : undefined;
  }

  /** What kind of value a key takes, for the snippet that writes it. */
  shapeOf(node: JsonSchema | undefined): 'map' | 'list' | 'scalar' {
    const resolved = this.resolve(node);
    if (!resolved) return 'scalar';
    if (resolved.type === 'object' || resolved.properties || resolved.additionalProperties) return 'map';
    if (resolved.type === 'array' || resolved.items) return 'list';
    return 'scalar';
  }

  private child(node: JsonSchema, segment: string, type: string | undefined): JsonSchema | undefined {
    const known = this.keys(node, type).get(segment);
    if (known) return known;
    if (node.additionalProperties && typeof node.additionalProperties === 'object') return node.additionalProperties as JsonSchema;
    if (node.items && typeof node.items === 'object' && /^\d+$/.test(segment)) return node.items as JsonSchema;
    return undefined;
  }

  /** The `then` of the `allOf` branch whose `if` matches `type: <type>`. */
  private branchFor(node: JsonSchema, type: string | undefined): JsonSchema | undefined {
    if (type === undefined) return undefined;
    for (const branch of (node.allOf ?? []) as JsonSchema[]) {
      const condition = props(branch.if as JsonSchema | undefined).type;
      if (condition?.const === type) return branch.then as JsonSchema;
    }
    return undefined;
  }
}

function props(node: JsonSchema | undefined): Record<string, JsonSchema> {
  return ((node?.properties ?? {}) as Record<string, JsonSchema>);
}
