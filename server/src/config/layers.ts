/**
 * The user's file and a workspace's file, merged (the workspace wins), with
 * the way back from any path of the merged data to the file and characters
 * that gave it: errors in the merged configuration point into the right file.
 *
 * Rules (docs/configuration.md): maps merge key by key; lists and scalars
 * replace; `null` removes a key (so a workspace can switch off a user entry);
 * a map whose `type` differs replaces the other instead of merging with it.
 */
import type { Node } from 'yaml';
import { documentRange, locate, nodeRange, type Range, type YamlSource } from './yamlSource';

export interface Layer {
  /** `user` ($SUPERKICK_DIR/config.yml) or `workspace` (superkick.yml). */
  kind: 'user' | 'workspace';
  source: YamlSource;
  /** The data, after env interpolation. */
  value: Record<string, unknown>;
  /** The data as written (before interpolation): what trust hashes, so a rotated secret does not revoke trust. */
  written: Record<string, unknown>;
  /** Pointers of values that came from env(). */
  fromEnv: Set<string>;
}

export type Place = { source: YamlSource; range: Range; node: Node | null };

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Merges `over` onto `under` by the rules above. */
export function mergeValues(under: unknown, over: unknown): unknown {
  if (over === undefined) return dropNulls(under);
  if (over === null) return undefined;
  if (isPlainObject(under) && isPlainObject(over)) {
    if (under.type !== undefined && over.type !== undefined && under.type !== over.type) return dropNulls(over);
    const merged: Record<string, unknown> = {};
    for (const key of new Set([...Object.keys(under), ...Object.keys(over)])) {
      const value = mergeValues(under[key], over[key]);
      if (value !== undefined) merged[key] = value;
    }
    return merged;
  }
  return dropNulls(over);
}

/** `key:` with nothing after it means "not set", as if the key were absent. */
function dropNulls(value: unknown): unknown {
  if (value === null) return undefined;
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const kept = dropNulls(item);
    if (kept !== undefined) out[key] = kept;
  }
  return out;
}

export function mergeLayers(layers: readonly Layer[], pick: (layer: Layer) => Record<string, unknown> = (layer) => layer.value): Record<string, unknown> {
  let merged: unknown = {};
  for (const layer of layers) merged = mergeValues(merged, pick(layer));
  return isPlainObject(merged) ? merged : {};
}

/**
 * Where a path of the merged data was written: the last layer (the winner)
 * that has it, else the layer that has the most of it. `part: 'key'` points
 * at the key rather than the value (for unknown and missing keys).
 */
export function placeOf(layers: readonly Layer[], segments: readonly string[], part: 'key' | 'value' = 'value'): Place | undefined {
  if (!layers.length) return undefined;
  let best: { layer: Layer; located: ReturnType<typeof locate> } | undefined;
  for (const layer of layers) {
    const located = locate(layer.source, segments);
    if (!best || located.depth >= best.located.depth) best = { layer, located };
  }
  const { layer, located } = best!;
  const whole = located.depth === segments.length;
  const node = whole && part === 'key' && located.key ? located.key : located.value;
  // A path found only in part: point at the key of the deepest part found, where the missing piece belongs.
  const range = (whole ? nodeRange(node) : nodeRange(located.key) ?? nodeRange(located.value)) ?? documentRange(layer.source);
  return { source: layer.source, range, node: whole ? located.value : null };
}

/** Whether the value at `pointer` in the merged data came from env() in the layer that won it. */
export function cameFromEnv(layers: readonly Layer[], segments: readonly string[], pointer: string): boolean {
  for (let i = layers.length - 1; i >= 0; i--) {
    if (locate(layers[i].source, segments).depth === segments.length) return layers[i].fromEnv.has(pointer);
  }
  return false;
}
