/**
 * Conditional GETs (https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api#use-conditional-requests-if-appropriate):
 * a poll sends the ETag it saw (or Last-Modified when there was no ETag), and
 * an unchanged resource answers 304, which does not count against the rate
 * limit. What is remembered is a `Conditional`: the validators and what the
 * caller chose to keep of the body (`keep`), small and JSON, so a monitor
 * returns it in its persisted `state` and a poll after a restart is still
 * conditional.
 */
import type { GithubOctokit } from './githubClient';

/** The validators of the last 200 and what was kept of its body. */
export interface Conditional<Kept> {
  etag?: string;
  lastModified?: string;
  kept: Kept;
}

export interface ConditionalResult<Kept> {
  /** What `keep` made of the body: the new one, or the remembered one on a 304. */
  kept: Kept;
  /** GitHub answered 304: nothing changed since `previous`. */
  notModified: boolean;
  /** What to remember for the next poll. */
  next: Conditional<Kept>;
}

export interface ConditionalOptions {
  signal?: AbortSignal;
}

export interface ConditionalListOptions extends ConditionalOptions {
  /** Pages read at most when the list changed (default 10): one poll's cost stays bounded. */
  maxPages?: number;
}

const DEFAULT_MAX_PAGES = 10;

/** GET `route` (`GET /repos/{owner}/{repo}/pulls/{pull_number}`), conditional on `previous`. */
export async function conditionalGet<Data, Kept>(
  octokit: GithubOctokit,
  route: string,
  params: Record<string, unknown>,
  previous: Conditional<Kept> | null | undefined,
  keep: (data: Data) => Kept,
  options: ConditionalOptions = {},
): Promise<ConditionalResult<Kept>> {
  const response = await requestUnlessUnchanged(octokit, route, params, previous, options);
  if (!response) return { kept: previous!.kept, notModified: true, next: previous! };
  const kept = keep(response.data as Data);
  return { kept, notModified: false, next: { ...validatorsOf(response.headers), kept } };
}

/**
 * GET every page of a list (up to `maxPages`), conditional on the first page:
 * a 304 there means the list is unchanged. That holds when a change shows on
 * the first page, so ask for the list newest first
 * (`sort: 'updated', direction: 'desc'` where the endpoint takes it) or in one
 * page (`per_page: 100`). Search results (`{ items }`) are lists too.
 */
export async function conditionalList<Item, Kept>(
  octokit: GithubOctokit,
  route: string,
  params: Record<string, unknown>,
  previous: Conditional<Kept> | null | undefined,
  keep: (items: Item[]) => Kept,
  options: ConditionalListOptions = {},
): Promise<ConditionalResult<Kept>> {
  const first = await requestUnlessUnchanged(octokit, route, params, previous, options);
  if (!first) return { kept: previous!.kept, notModified: true, next: previous! };
  const items = itemsOf<Item>(first.data);
  let next = nextPageUrl(first.headers.link);
  for (let page = 1; next && page < (options.maxPages ?? DEFAULT_MAX_PAGES); page++) {
    const response = await octokit.request(`GET ${next}`, { request: { signal: options.signal } });
    items.push(...itemsOf<Item>(response.data));
    next = nextPageUrl(response.headers.link);
  }
  const kept = keep(items);
  return { kept, notModified: false, next: { ...validatorsOf(first.headers), kept } };
}

interface Response {
  data: unknown;
  headers: Record<string, string | number | undefined>;
}

/** The response, or undefined when GitHub answered 304 to `previous`'s validators. */
async function requestUnlessUnchanged(
  octokit: GithubOctokit,
  route: string,
  params: Record<string, unknown>,
  previous: Conditional<unknown> | null | undefined,
  options: ConditionalOptions,
): Promise<Response | undefined> {
  const headers: Record<string, string> = {};
  if (previous?.etag) headers['if-none-match'] = previous.etag;
  else if (previous?.lastModified) headers['if-modified-since'] = previous.lastModified;
  try {
    return await octokit.request(route, { ...params, headers: { ...(params.headers as object | undefined), ...headers }, request: { signal: options.signal } });
  } catch (error) {
    if ((error as { status?: number }).status === 304 && previous) return undefined;
    throw error;
  }
}

function validatorsOf(headers: Response['headers']): { etag?: string; lastModified?: string } {
  const etag = headers.etag === undefined ? undefined : String(headers.etag);
  const lastModified = headers['last-modified'] === undefined ? undefined : String(headers['last-modified']);
  return { ...(etag && { etag }), ...(lastModified && { lastModified }) };
}

function itemsOf<Item>(data: unknown): Item[] {
  if (Array.isArray(data)) return [...data] as Item[];
  const items = (data as { items?: unknown } | null)?.items;
  if (Array.isArray(items)) return [...items] as Item[];
  throw new Error(`expected a list from GitHub, got ${data === null ? 'null' : typeof data}`);
}

/** The `rel="next"` URL of a Link header (https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api). */
export function nextPageUrl(link: string | number | undefined): string | undefined {
  if (typeof link !== 'string') return undefined;
  for (const part of link.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (match) return match[1];
  }
  return undefined;
}
