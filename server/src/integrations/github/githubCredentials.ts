/**
 * Who Superkick is on GitHub, from an entry's keys and the environment: a
 * `token:` (else GITHUB_TOKEN), or a GitHub App installation (`app_id`,
 * `private_key`, `installation_id`), and where the API is (`base_url`, else
 * GITHUB_API_URL as GitHub Actions sets it, else api.github.com).
 */
import { UserError } from '../../common/userError';
import { appPrivateKey } from './appJwt';
import type { GithubAuth } from './githubClient';
import { GITHUB_API_URL, normalizeBaseUrl } from './githubUrls';

export interface GithubCredentials {
  auth: GithubAuth;
  baseUrl: string;
}

/** `where` names the entry in errors (`monitors.pr`). */
export function githubCredentials(config: Record<string, unknown>, env: NodeJS.ProcessEnv, where: string): GithubCredentials {
  const baseUrl = normalizeBaseUrl(optionalString(config, 'base_url', where) ?? (env.GITHUB_API_URL || GITHUB_API_URL));
  const token = optionalString(config, 'token', where);
  const appKeys = ['app_id', 'private_key', 'installation_id'].filter((key) => config[key] !== undefined && config[key] !== '');
  if (token !== undefined && appKeys.length) throw new UserError(`${where}: give either token or app_id/private_key/installation_id, not both`);
  if (appKeys.length) {
    const missing = ['app_id', 'private_key', 'installation_id'].filter((key) => !appKeys.includes(key));
    if (missing.length) throw new UserError(`${where}: a GitHub App needs app_id, private_key and installation_id (missing ${missing.join(', ')})`);
    const installationId = Number(config.installation_id);
    if (!Number.isSafeInteger(installationId) || installationId <= 0) {
      throw new UserError(`${where}.installation_id: expected the installation's number (from https://github.com/settings/installations/<id>), got ${JSON.stringify(config.installation_id)}`);
    }
    return {
      baseUrl,
      auth: { app: { appId: String(config.app_id), privateKey: appPrivateKey(String(config.private_key)), installationId } },
    };
  }
  const fromEnv = env.GITHUB_TOKEN?.trim();
  if (token === undefined && !fromEnv) {
    throw new UserError(`${where}: no GitHub credentials: set GITHUB_TOKEN, or give the entry a token (token: <%= env("GITHUB_TOKEN") %>) or a GitHub App (app_id, private_key, installation_id)`);
  }
  return { baseUrl, auth: { token: (token ?? fromEnv) as string } };
}

function optionalString(config: Record<string, unknown>, key: string, where: string): string | undefined {
  const value = config[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new UserError(`${where}.${key}: expected a string, got ${typeof value}`);
  return value.trim();
}
