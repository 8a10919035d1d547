/**
 * One GitHub client per credentials and API URL, shared by every monitor,
 * spawner and goal that uses them: they share one rate limit, so they share
 * one view of it (and one App installation token).
 */
import type { Logger } from '../../common/logger';
import { sha256OfJson } from '../../spawn/canonicalJson';
import { createGithubClient, type GithubClient } from './githubClient';
import { githubCredentials } from './githubCredentials';

const clients = new Map<string, GithubClient>();

/** A short hash naming whose credentials these are (never the secret itself): the rate-limit group. */
export function credentialKey(config: Record<string, unknown>): string {
  return sha256OfJson([config.token ?? process.env.GITHUB_TOKEN ?? '', config.app_id ?? '', config.installation_id ?? '']).slice(0, 12);
}

/** `where` names the entry in errors (`spawners.issues`). */
export function githubClientFor(config: Record<string, unknown>, where: string, log: Logger): GithubClient {
  const credentials = githubCredentials(config, process.env, where);
  const key = `${credentials.baseUrl}\0${credentialKey(config)}`;
  let client = clients.get(key);
  if (!client) {
    client = createGithubClient({ auth: credentials.auth, baseUrl: credentials.baseUrl, log });
    clients.set(key, client);
  }
  return client;
}
