/** JSON Pointers (RFC 6901), the paths ajv reports errors at: `/spawners/dd/type`. */

export function toPointer(segments: readonly string[]): string {
  return segments.map((segment) => `/${segment.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

export function fromPointer(pointer: string): string[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** `spawners.dd.type`, the way messages name a place in the file. */
export function dotted(segments: readonly string[]): string {
  return segments.length ? segments.join('.') : '(top level)';
}
