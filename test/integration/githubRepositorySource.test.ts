/**
 * The `github: owner/repo` repository source against a real git smart-HTTP
 * server (test/fakes/gitHttpServer.ts) behind a small proxy that plays
 * GitHub's side of authentication: it answers 401 unless the request carries
 * the token as GitHub's git over HTTPS takes it. The token must reach git as a
 * header and nowhere else (not the URL, not the cache clone's config).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { githubRepositorySource } from '../../server/src/integrations/github/githubRepositorySource';
import { githubWebUrl } from '../../server/src/integrations/github/githubUrls';
import { repositorySourceFor } from '../../server/src/repository';
import { UserError } from '../../server/src/common/userError';
import { GitHttpServer } from '../fakes/gitHttpServer';
import { fixGitEnvironment } from '../helpers/gitFixture';

fixGitEnvironment();

const TOKEN = 'ghs_test_token_1234';
const EXPECTED = `Basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}`;

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

let root: string;
let cacheDir: string;
let backend: GitHttpServer;
let proxy: http.Server;
let webUrl: string;
const authorizations: (string | undefined)[] = [];

describe('github repository source', () => {
  before(async () => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sk-ghsource-')));
    cacheDir = path.join(root, 'cache');
    const served = path.join(root, 'served');
    fs.mkdirSync(path.join(served, 'acme'), { recursive: true });
    git(root, 'init', '--quiet', '--bare', path.join(served, 'acme', 'app.git'));
    const work = path.join(root, 'work');
    git(root, 'clone', '--quiet', path.join(served, 'acme', 'app.git'), work);
    fs.writeFileSync(path.join(work, 'README.md'), 'hello\n');
    git(work, 'add', '.');
    git(work, 'commit', '--quiet', '-m', 'first');
    git(work, 'push', '--quiet', '-u', 'origin', 'main');
    backend = await GitHttpServer.start(served);

    proxy = http.createServer((request, response) => {
      authorizations.push(request.headers.authorization);
      if (request.headers.authorization !== EXPECTED) {
        request.resume();
        response.writeHead(401, { 'www-authenticate': 'Basic realm="GitHub"' }).end('Invalid username or token\n');
        return;
      }
      const upstream = http.request({ host: '127.0.0.1', port: backend.port, method: request.method, path: request.url, headers: request.headers }, (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      });
      request.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    webUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  after(async () => {
    proxy?.closeAllConnections();
    await new Promise((resolve) => proxy?.close(resolve));
    await backend?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('clones owner/repo with the token as a header, and keeps it out of the URL and the clone', async () => {
    authorizations.length = 0;
    const env = { GITHUB_SERVER_URL: webUrl, GITHUB_TOKEN: TOKEN };
    const source = githubRepositorySource('acme/app', { cacheDir }, env);
    assert.equal(source.url, `${webUrl}/acme/app.git`);
    const first = await source.resolve();
    assert.equal(first.kind, 'github');
    assert.equal(first.action, 'cloned');
    assert.equal(git(first.gitDir, 'log', '-1', '--format=%s', first.defaultBase), 'first');
    assert.ok(authorizations.length > 0 && authorizations.every((value) => value === EXPECTED), 'every request carried the token');
    assert.ok(!fs.readFileSync(path.join(first.gitDir, 'config'), 'utf8').includes(TOKEN.slice(4)), 'the token is not in the cache clone');
    const again = await githubRepositorySource('acme/app.git', { cacheDir }, env).resolve();
    assert.equal(again.action, 'fetched');
  });

  it('without the token a private repository is a clear error', async () => {
    await assert.rejects(
      githubRepositorySource('acme/app', { cacheDir: path.join(root, 'other-cache') }, { GITHUB_SERVER_URL: webUrl }).resolve(),
      (error: Error) => error instanceof UserError && /^repository source github .*\/acme\/app\.git: cannot clone/.test(error.message),
    );
  });

  it('takes only owner/repo, and is a kind of repository source', () => {
    for (const bad of ['acme', 'acme/app/extra', '-x/app', 'acme/..', '']) {
      assert.throws(() => githubRepositorySource(bad, { cacheDir }, {}), (error: Error) => error instanceof UserError && /is not owner\/repo/.test(error.message), bad);
    }
    assert.equal(repositorySourceFor({ github: 'acme/app' }, { cacheDir }).kind, 'github');
  });

  it('finds the web host: github.com, GITHUB_SERVER_URL, or an Enterprise API URL without /api/v3', () => {
    assert.equal(githubWebUrl({}), 'https://github.com');
    assert.equal(githubWebUrl({ GITHUB_API_URL: 'https://ghe.example.com/api/v3/' }), 'https://ghe.example.com');
    assert.equal(githubWebUrl({ GITHUB_SERVER_URL: 'https://ghe.example.com/', GITHUB_API_URL: 'https://x/api/v3' }), 'https://ghe.example.com');
  });
});
