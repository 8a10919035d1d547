/**
 * The `github: owner/repo` repository source: the git URL source on
 * `https://github.com/owner/repo.git` (or the Enterprise host), with the
 * token, when there is one, handed to git as an `http.<url>.extraHeader` for
 * that host only, through the environment: never in the URL, the cache
 * clone's config or the process list.
 */
import { UserError } from '../../common/userError';
import { GitUrlRepositorySource } from '../../repository/gitUrlRepositorySource';
import type { RepositorySourceContext } from '../../repository/repositorySource';
import { githubWebUrl } from './githubUrls';

const OWNER_REPO = /^([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)\/([A-Za-z0-9._-]+?)(?:\.git)?$/;

/**
 * `env` is read at each resolve: GITHUB_TOKEN for private repositories;
 * GITHUB_SERVER_URL (as GitHub Actions sets it) or GITHUB_API_URL for an
 * Enterprise host.
 */
export function githubRepositorySource(value: string, context: RepositorySourceContext, env: NodeJS.ProcessEnv = process.env): GitUrlRepositorySource {
  const match = OWNER_REPO.exec(value.trim());
  if (!match || match[2] === '.' || match[2] === '..') throw new UserError(`repository source github: "${value}" is not owner/repo (e.g. github: acme/app)`);
  const web = githubWebUrl(env);
  return new GitUrlRepositorySource(`${web}/${match[1]}/${match[2]}.git`, context, {
    kind: 'github',
    remoteConfig: () => {
      const token = env.GITHUB_TOKEN?.trim();
      if (!token) return {};
      // GitHub's git over HTTPS takes any token as the password of x-access-token (installation tokens need exactly that).
      const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
      return { [`http.${web}/.extraHeader`]: `Authorization: Basic ${basic}` };
    },
  });
}
