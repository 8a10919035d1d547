/**
 * GitHub's page-number pagination: `per_page` (default 30, at most 100) and
 * `page` (from 1), with a `Link` header naming the other pages in GitHub's
 * order, prev, next, last, first; the first page has no prev or first, the
 * last page no next or last (https://docs.github.com/rest/using-the-rest-api/using-pagination-in-the-rest-api).
 */
export const DEFAULT_PER_PAGE = 30;
export const MAX_PER_PAGE = 100;

export interface Page<T> {
  items: T[];
  /** The Link header's value, or undefined when everything fits on one page. */
  link: string | undefined;
}

/** `requestUrl` is the absolute URL asked for: the links keep its other query parameters. */
export function paginate<T>(all: T[], requestUrl: URL): Page<T> {
  const perPage = clamp(positiveInt(requestUrl.searchParams.get('per_page')) ?? DEFAULT_PER_PAGE, 1, MAX_PER_PAGE);
  const page = positiveInt(requestUrl.searchParams.get('page')) ?? 1;
  const lastPage = Math.max(1, Math.ceil(all.length / perPage));
  const items = all.slice((page - 1) * perPage, page * perPage);
  const linkTo = (target: number) => {
    const url = new URL(requestUrl);
    url.searchParams.set('per_page', String(perPage));
    url.searchParams.set('page', String(target));
    return `<${url.href}>`;
  };
  const links: string[] = [];
  if (page > 1) links.push(`${linkTo(Math.min(page - 1, lastPage))}; rel="prev"`);
  if (page < lastPage) links.push(`${linkTo(page + 1)}; rel="next"`, `${linkTo(lastPage)}; rel="last"`);
  if (page > 1) links.push(`${linkTo(1)}; rel="first"`);
  return { items, link: links.length ? links.join(', ') : undefined };
}

/** GitHub ignores a page or per_page that is not a positive number rather than failing. */
function positiveInt(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value)) return undefined;
  const number = Number(value);
  return number >= 1 ? number : undefined;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
