/**
 * Conditional requests as GitHub answers them: every GET carries a weak ETag
 * (`W/"…"`, a hash of the body and of who asked, since GitHub's responses vary
 * by Authorization) and, where the resource has a time, Last-Modified.
 * If-None-Match wins over If-Modified-Since when both are sent (RFC 9110 13.2.2).
 */
import { createHash } from 'node:crypto';

export function etagOf(body: string, viewer: string | undefined): string {
  return `W/"${createHash('sha256').update(viewer ?? '').update('\0').update(body).digest('hex').slice(0, 32)}"`;
}

/** The ETag without its weak prefix: If-None-Match compares weakly. */
const opaque = (tag: string) => tag.trim().replace(/^W\//, '');

export function isNotModified(headers: { ifNoneMatch?: string; ifModifiedSince?: string }, etag: string, lastModifiedMs: number | undefined): boolean {
  if (headers.ifNoneMatch !== undefined) {
    const sent = headers.ifNoneMatch.split(',').map((tag) => tag.trim());
    return sent.includes('*') || sent.some((tag) => opaque(tag) === opaque(etag));
  }
  if (headers.ifModifiedSince !== undefined && lastModifiedMs !== undefined) {
    const since = Date.parse(headers.ifModifiedSince);
    // HTTP dates have whole seconds: a change within the same second as the date sent is not newer.
    return Number.isFinite(since) && Math.floor(lastModifiedMs / 1000) * 1000 <= since;
  }
  return false;
}

export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}
