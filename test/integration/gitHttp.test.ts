/**
 * The git URL repository source against a real smart-HTTP server on
 * 127.0.0.1 (`git http-backend` behind test/fakes/gitHttpServer.ts): the
 * cache clone is made once, a later resolve fetches only what is new (the
 * server counts the bytes it sent), and a broken server gives a clear error
 * with nothing half-made left in the cache.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cacheDirFor, createWorktree, GitUrlRepositorySource, removeWorktree } from '../../server/src/repository';
import { UserError } from '../../server/src/common/userError';
import { GitHttpServer } from '../fakes/gitHttpServer';
import { fixGitEnvironment, git } from '../helpers/gitFixture';

fixGitEnvironment();


let root: string;
let served: string;
let work: string;
let cacheDir: string;
let server: GitHttpServer;

/** Cache folders that are not a finished clone: a crash or a failure must never leave one. */
const halfMade = () => (fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir).filter((name) => name.includes('.partial-')) : []);

describe('git URL source over smart HTTP', () => {
  before(async () => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sk-githttp-')));
    served = path.join(root, 'served');
    work = path.join(root, 'work');
    cacheDir = path.join(root, 'cache', 'repos');
    fs.mkdirSync(served);
    git(root, 'init', '--quiet', '--bare', path.join(served, 'repo.git'));
    git(root, 'clone', '--quiet', path.join(served, 'repo.git'), work);
    // Some content that does not compress away, so "far fewer bytes" means something.
    for (let i = 0; i < 60; i++) {
      fs.mkdirSync(path.join(work, 'src', `m${i % 6}`), { recursive: true });
      fs.writeFileSync(path.join(work, 'src', `m${i % 6}`, `file${i}.txt`), randomBytes(3_000).toString('base64'));
    }
    git(work, 'add', '.');
    git(work, 'commit', '--quiet', '-m', 'the content');
    git(work, 'push', '--quiet', '-u', 'origin', 'main');
    server = await GitHttpServer.start(served);
  });
  after(async () => {
    await server?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('clones once, then fetches only the new commit, which a new worktree contains', async () => {
    const url = server.urlOf('repo.git');
    server.reset();
    const first = await new GitUrlRepositorySource(url, { cacheDir }).resolve();
    assert.equal(first.action, 'cloned');
    const cloneBytes = server.bytesSent;
    assert.ok(server.requests.some((request) => request.service === 'git-upload-pack' && request.method === 'POST'), 'the clone went through upload-pack over HTTP');
    assert.ok(cloneBytes > 100_000, `the clone carried the content (${cloneBytes} bytes)`);

    fs.writeFileSync(path.join(work, 'NEWS.md'), 'one new line\n');
    git(work, 'add', 'NEWS.md');
    git(work, 'commit', '--quiet', '-m', 'news');
    git(work, 'push', '--quiet', 'origin', 'main');
    const pushed = git(work, 'rev-parse', 'HEAD');

    server.reset();
    const second = await new GitUrlRepositorySource(url, { cacheDir }).resolve();
    assert.equal(second.action, 'fetched');
    assert.equal(second.gitDir, first.gitDir);
    const fetchBytes = server.bytesSent;
    assert.ok(fetchBytes > 0, 'the fetch asked the server');
    assert.ok(fetchBytes < cloneBytes / 5, `the fetch sent ${fetchBytes} bytes, the clone ${cloneBytes}`);
    assert.equal(git(second.gitDir, 'rev-parse', `${second.defaultBase}^{commit}`), pushed);

    const dir = path.join(root, 'worktrees', 'after-fetch');
    const made = await createWorktree({ repo: second, branch: 'superkick/after-fetch', dir });
    assert.equal(made.base, pushed);
    assert.equal(fs.readFileSync(path.join(dir, 'NEWS.md'), 'utf8'), 'one new line\n');
    await removeWorktree(dir);
  });

  it('says which URL was not found, and keeps no half clone', async () => {
    const url = server.urlOf('no-such-repo.git');
    server.reset();
    await assert.rejects(new GitUrlRepositorySource(url, { cacheDir }).resolve(), (error: Error) => error instanceof UserError && error.message.includes(url) && /cannot clone/.test(error.message) && /not found/.test(error.message));
    assert.ok(server.requests.some((request) => request.status === 404), 'the server answered 404');
    assert.equal(fs.existsSync(cacheDirFor(cacheDir, url)), false);
    assert.deepEqual(halfMade(), []);
  });

  it("passes a gzip'd request body through to git (protocol v0 gzips a long list of wants)", async () => {
    for (let i = 0; i < 40; i++) git(work, 'tag', '-a', '-m', `release ${i}`, `v0.${i}`);
    git(work, 'push', '--quiet', 'origin', '--tags');
    server.reset();
    const target = path.join(root, 'v0-clone.git');
    await new Promise<void>((resolve, reject) =>
      execFile('git', ['-c', 'protocol.version=0', 'clone', '--quiet', '--bare', server.urlOf('repo.git'), target], (error, _stdout, stderr) => (error ? reject(new Error(stderr || error.message)) : resolve())),
    );
    assert.ok(server.requests.some((request) => request.method === 'POST' && request.contentEncoding === 'gzip'), `a gzip'd request was sent: ${JSON.stringify(server.requests)}`);
    assert.equal(git(target, 'tag', '--list', 'v0.*').split('\n').length, 40);
    assert.equal(git(target, 'rev-parse', 'main'), git(work, 'rev-parse', 'main'));
  });

  it('reports a server error on clone and on fetch; the cache clone survives and works once the server does', async () => {
    const url = server.urlOf('repo.git');
    const fresh = `${url}/`; // the same repository under another URL string: a cache clone of its own
    server.failWith(500);
    try {
      await assert.rejects(new GitUrlRepositorySource(fresh, { cacheDir }).resolve(), (error: Error) => error instanceof UserError && error.message.includes(fresh) && /500/.test(error.message));
      assert.equal(fs.existsSync(cacheDirFor(cacheDir, fresh)), false);
      await assert.rejects(new GitUrlRepositorySource(url, { cacheDir }).resolve(), (error: Error) => error instanceof UserError && error.message.includes(url) && /cannot fetch/.test(error.message) && /500/.test(error.message));
    } finally {
      server.failWith(null);
    }
    assert.deepEqual(halfMade(), []);
    const again = await new GitUrlRepositorySource(url, { cacheDir }).resolve();
    assert.equal(again.action, 'fetched');
    assert.equal(git(again.gitDir, 'rev-parse', `${again.defaultBase}^{commit}`), git(work, 'rev-parse', 'HEAD'));
  });
});
