/**
 * The world of the GitHub integration tests: a fake GitHub with `acme/app`
 * and its people, a local clone-like project the agents work in, the YAML
 * that points an entry at the fake, and the agents' logs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FakeGithubServer, type RepositoryRole } from '../fakes/github';
import { git } from './gitFixture';
import type { Sandbox } from './sandbox';
import { whenDirChanges } from './waitFor';

/** Starts the fake with `acme/app`; the bot (token `bot-token`) and `people` may write to it. */
export async function fakeGithubWithApp(people: Record<string, RepositoryRole> = {}): Promise<FakeGithubServer> {
  const github = await FakeGithubServer.start();
  github.state.addUser({ login: 'superkick-bot', token: 'bot-token' });
  for (const login of Object.keys(people)) github.state.addUser({ login, token: `${login}-token` });
  github.state.addRepository({ owner: 'acme', name: 'app', collaborators: { 'superkick-bot': 'write', ...people } });
  return github;
}

/** A git repository on `main` with one commit, its superkick.yml ignored (so worktrees start clean); returns the commit. */
export function initProject(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  git(dir, 'init', '--quiet', '--initial-branch=main');
  fs.writeFileSync(path.join(dir, 'README.md'), '# app\n');
  fs.writeFileSync(path.join(dir, '.gitignore'), 'superkick.yml\n');
  git(dir, 'add', '.');
  git(dir, 'commit', '--quiet', '-m', 'start');
  return git(dir, 'rev-parse', 'HEAD').trim();
}

/** The keys that point an entry (indented under its name) at the fake, as the bot. */
export function githubConnection(github: FakeGithubServer, pollIntervalS: number): string {
  return `    token: bot-token\n    base_url: ${github.url}\n    poll_interval: ${pollIntervalS}\n`;
}

export function agentLog(sandbox: Sandbox, id: string): string {
  try {
    return fs.readFileSync(path.join(sandbox.dir, 'logs', 'agents', `${id}.log`), 'utf8');
  } catch {
    return '';
  }
}

/** Resolves with the agent's log once it shows `text` (what was typed in, and the program's echo of it). */
export function untilLogShows(sandbox: Sandbox, id: string, text: string, what: string): Promise<string> {
  return whenDirChanges(path.join(sandbox.dir, 'logs', 'agents'), () => {
    const log = agentLog(sandbox, id);
    return log.includes(text) ? log : undefined;
  }, what);
}
