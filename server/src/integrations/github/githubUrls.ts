/**
 * Where GitHub is: the REST API (api.github.com, or an Enterprise Server's
 * https://HOST/api/v3) and the web and git host beside it. No Octokit here:
 * the repository source needs only these.
 */
import { UserError } from '../../common/userError';

export const GITHUB_API_URL = 'https://api.github.com';

/** `https://api.github.com`, `https://ghe.example.com/api/v3`: an http(s) URL without a trailing slash. */
export function normalizeBaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UserError(`github base_url: "${value}" is not a URL (GitHub: ${GITHUB_API_URL}; Enterprise Server: https://HOST/api/v3)`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UserError(`github base_url: "${value}" must be an http(s) URL`);
  if (url.hostname === 'github.com') throw new UserError(`github base_url: "${value}" is the website; the API is ${GITHUB_API_URL}`);
  return url.toString().replace(/\/+$/, '');
}

/** The web (and git) host: https://github.com, or an Enterprise server's https://HOST (its API is at /api/v3). */
export function githubWebUrl(env: NodeJS.ProcessEnv): string {
  if (env.GITHUB_SERVER_URL?.trim()) return env.GITHUB_SERVER_URL.trim().replace(/\/+$/, '');
  const api = (env.GITHUB_API_URL?.trim() || GITHUB_API_URL).replace(/\/+$/, '');
  if (api === GITHUB_API_URL) return 'https://github.com';
  return api.replace(/\/api\/v3$/, '');
}
