/**
 * The one place that knows every repository source kind. A new kind (`github:
 * owner/repo`, which arrives with the GitHub integration) adds one entry to
 * SOURCE_KINDS; nothing else changes.
 */
import { UserError } from '../common/userError';
import { githubRepositorySource } from '../integrations/github/githubRepositorySource';
import { GitUrlRepositorySource } from './gitUrlRepositorySource';
import { LocalRepositorySource } from './localRepositorySource';
import type { RepositorySource, RepositorySourceContext } from './repositorySource';

/** A configured source: exactly one kind key, e.g. `{ local: "../app" }` or `{ git: "https://…" }`. */
export type RepositorySourceConfig = Record<string, string>;

export type RepositorySourceFactory = (value: string, context: RepositorySourceContext) => RepositorySource;

export const SOURCE_KINDS = new Map<string, RepositorySourceFactory>([
  ['local', (value) => new LocalRepositorySource(value)],
  ['git', (value, context) => new GitUrlRepositorySource(value, context)],
  ['github', (value, context) => githubRepositorySource(value, context)],
]);

export function repositorySourceFor(config: RepositorySourceConfig, context: RepositorySourceContext): RepositorySource {
  const kinds = Object.keys(config);
  const known = [...SOURCE_KINDS.keys()].join(', ');
  if (kinds.length !== 1) throw new UserError(`repository source: give exactly one of ${known} (got ${kinds.length ? kinds.join(', ') : 'none'})`);
  const [kind] = kinds;
  const factory = SOURCE_KINDS.get(kind);
  if (!factory) throw new UserError(`repository source: unknown kind "${kind}" (known: ${known})`);
  const value = config[kind];
  if (typeof value !== 'string') throw new UserError(`repository source ${kind}: expected a string`);
  return factory(value, context);
}
