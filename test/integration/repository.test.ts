/**
 * Repository sources and worktrees against real git in temp dirs: a bare
 * "remote", a working clone with commits, file:// URLs only (never the network).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  branchName,
  cacheDirFor,
  createWorktree,
  listWorktrees,
  MAX_BRANCH_LENGTH,
  processWorkingDirs,
  removeWorktree,
  repositorySourceFor,
  sanitizeBranchName,
  worktreeStatus,
} from '../../server/src/repository';
import { UserError } from '../../server/src/common/userError';
import { whenEvent } from '../helpers/waitFor';
import { fixGitEnvironment, git } from '../helpers/gitFixture';

fixGitEnvironment();


let root: string;
let remote: string;
let clone: string;
let cacheDir: string;
const outside = () => path.join(root, 'outside-secret.txt');

function commitFile(dir: string, name: string, content: string, message: string): string {
  fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
  fs.writeFileSync(path.join(dir, name), content);
  git(dir, 'add', name);
  git(dir, 'commit', '--quiet', '-m', message);
  return git(dir, 'rev-parse', 'HEAD');
}

let worktreeCount = 0;
const newDir = () => path.join(root, 'worktrees', `wt-${++worktreeCount}`);

describe('repository sources and worktrees', () => {
  before(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sk-repo-')));
    remote = path.join(root, 'remote.git');
    clone = path.join(root, 'clone');
    cacheDir = path.join(root, 'cache', 'repos');
    git(root, 'init', '--quiet', '--bare', remote);
    git(root, 'clone', '--quiet', remote, clone);
    commitFile(clone, 'README.md', 'hello\n', 'first');
    commitFile(clone, 'src/app.ts', 'export {};\n', 'second');
    git(clone, 'push', '--quiet', '-u', 'origin', 'main');
    // Untracked files a worktree needs: the include list copies them.
    fs.writeFileSync(path.join(clone, '.env'), 'TOKEN=local\n');
    fs.mkdirSync(path.join(clone, 'config'));
    fs.writeFileSync(path.join(clone, 'config', 'db.local.json'), '{"db":1}\n');
    fs.writeFileSync(path.join(clone, 'config', 'app.local.json'), '{"app":1}\n');
    fs.writeFileSync(path.join(clone, 'config', 'shared.json'), '{}\n');
    fs.writeFileSync(outside(), 'secret\n');
    fs.symlinkSync(outside(), path.join(clone, 'config', 'leak.local.json'));
    fs.symlinkSync('db.local.json', path.join(clone, 'config', 'alias.local.json'));
    fs.symlinkSync(root, path.join(clone, 'escape'));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  describe('local source', () => {
    it('resolves a checkout to its git dir and checkout folder', async () => {
      const repo = await repositorySourceFor({ local: path.join(clone, 'src') }, { cacheDir }).resolve();
      assert.equal(repo.kind, 'local');
      assert.equal(repo.action, 'local');
      assert.equal(repo.gitDir, path.join(clone, '.git'));
      assert.equal(repo.checkoutDir, clone);
    });

    it('says clearly when the path is not a git repository, or missing', async () => {
      const plain = path.join(root, 'plain');
      fs.mkdirSync(plain);
      await assert.rejects(repositorySourceFor({ local: plain }, { cacheDir }).resolve(), (error: Error) => error instanceof UserError && /not a git repository/.test(error.message));
      await assert.rejects(repositorySourceFor({ local: path.join(root, 'nope') }, { cacheDir }).resolve(), /no such directory/);
    });

    it('rejects unknown or ambiguous source kinds', () => {
      assert.throws(() => repositorySourceFor({ svn: 'x' }, { cacheDir }), /unknown kind "svn" \(known: local, git, github\)/);
      assert.throws(() => repositorySourceFor({ local: 'a', git: 'b' }, { cacheDir }), /exactly one of/);
      assert.throws(() => repositorySourceFor({}, { cacheDir }), /exactly one of/);
    });
  });

  describe('git URL source', () => {
    it('clones once into the cache, then reuses it and fetches what is new', async () => {
      const url = pathToFileURL(remote).href;
      const first = await repositorySourceFor({ git: url }, { cacheDir }).resolve();
      assert.equal(first.action, 'cloned');
      assert.equal(first.gitDir, cacheDirFor(cacheDir, url));
      assert.equal(first.checkoutDir, undefined);
      const inode = fs.statSync(first.gitDir).ino;

      const pushed = commitFile(clone, 'src/new.ts', 'export const n = 1;\n', 'third');
      git(clone, 'push', '--quiet', 'origin', 'main');
      const second = await repositorySourceFor({ git: url }, { cacheDir }).resolve();
      assert.equal(second.action, 'fetched');
      assert.equal(fs.statSync(second.gitDir).ino, inode, 'the cache clone is the same folder, not a second clone');
      assert.equal(git(second.gitDir, 'rev-parse', `${second.defaultBase}^{commit}`), pushed, 'the new commit is the default base');
      assert.equal(git(second.gitDir, 'rev-parse', await second.baseRefFor('main')), pushed);
    });

    it('serialises concurrent resolves of one URL: one clone, then a fetch', async () => {
      // The same repository under another URL string, so this test has a cache clone of its own.
      const other = `file://${remote}/`;
      const results = await Promise.all([1, 2, 3].map(() => repositorySourceFor({ git: other }, { cacheDir }).resolve()));
      assert.deepEqual(results.map((r) => r.action).sort(), ['cloned', 'fetched', 'fetched']);
      assert.equal(new Set(results.map((r) => r.gitDir)).size, 1);
      const leftovers = fs.readdirSync(cacheDir).filter((name) => name.includes('.partial-'));
      assert.deepEqual(leftovers, []);
    });

    it('fails clearly for a URL that is not a repository, and leaves no half clone', async () => {
      const url = pathToFileURL(path.join(root, 'no-such-remote.git')).href;
      await assert.rejects(repositorySourceFor({ git: url }, { cacheDir }).resolve(), (error: Error) => error instanceof UserError && /cannot clone/.test(error.message) && error.message.includes(url));
      assert.equal(fs.existsSync(cacheDirFor(cacheDir, url)), false);
      assert.deepEqual(fs.readdirSync(cacheDir).filter((name) => name.includes('.partial-')), []);
      assert.throws(() => repositorySourceFor({ git: '--upload-pack=evil' }, { cacheDir }), /not a URL/);
      assert.throws(() => repositorySourceFor({ git: ' ' }, { cacheDir }), /URL is empty/);
    });

    it('makes worktrees from the cache clone; a fetch never deletes their branches', async () => {
      const url = pathToFileURL(remote).href;
      const source = repositorySourceFor({ git: url }, { cacheDir });
      const repo = await source.resolve();
      const dir = newDir();
      const made = await createWorktree({ repo, branch: 'superkick/from-url', dir, include: ['.env'] });
      assert.equal(made.base, git(clone, 'rev-parse', 'origin/main'));
      assert.deepEqual(made.include.copied, []);
      assert.match(made.include.skipped[0].reason, /bare cache clone/);
      await source.resolve();
      assert.equal(git(dir, 'symbolic-ref', '--short', 'HEAD'), 'superkick/from-url');
      assert.equal(git(repo.gitDir, 'rev-parse', '--verify', 'refs/heads/superkick/from-url'), made.base);
      // Clean, started from the remote's branch: removable.
      await removeWorktree(dir);
      assert.equal(fs.existsSync(dir), false);
      // With no checkout in the cache, include files come from a folder the caller names (the workspace).
      const withEnv = await createWorktree({ repo, branch: 'superkick/from-url-env', dir: newDir(), include: ['.env'], includeFrom: clone });
      assert.deepEqual(withEnv.include.copied, ['.env']);
      assert.equal(fs.readFileSync(path.join(withEnv.dir, '.env'), 'utf8'), 'TOKEN=local\n');
    });
  });

  describe('worktrees', () => {
    it('creates a new branch from the default base and copies include files, never following links outside', async () => {
      const repo = await repositorySourceFor({ local: clone }, { cacheDir }).resolve();
      const dir = newDir();
      const made = await createWorktree({ repo, branch: branchName('superkick/{{key}}', { key: 'issue 42' }), dir, include: ['.env', 'config/*.local.json', 'escape', 'missing.txt'] });
      assert.equal(made.branch, 'superkick/issue-42');
      assert.equal(made.base, git(clone, 'rev-parse', 'HEAD'));
      assert.equal(git(dir, 'symbolic-ref', '--short', 'HEAD'), 'superkick/issue-42');
      assert.equal(fs.readFileSync(path.join(dir, '.env'), 'utf8'), 'TOKEN=local\n');
      assert.equal(fs.readFileSync(path.join(dir, 'config', 'db.local.json'), 'utf8'), '{"db":1}\n');
      assert.deepEqual(made.include.copied.sort(), ['.env', 'config/alias.local.json', 'config/app.local.json', 'config/db.local.json']);
      assert.equal(fs.readlinkSync(path.join(dir, 'config', 'alias.local.json')), 'db.local.json', 'a link inside stays a link');
      assert.equal(fs.existsSync(path.join(dir, 'config', 'leak.local.json')), false, 'a link to outside is not followed');
      assert.equal(fs.existsSync(path.join(dir, 'config', 'shared.json')), false);
      assert.equal(fs.existsSync(path.join(dir, 'escape')), false);
      const skipped = Object.fromEntries(made.include.skipped.map((s) => [s.path, s.reason]));
      assert.match(skipped['config/leak.local.json'], /outside/);
      assert.match(skipped['escape'], /outside/);
      assert.match(skipped['missing.txt'], /not found/);
      // The copied untracked files make the worktree dirty, which is what the removal guard sees.
      await removeWorktree(dir, { force: true });
    });

    it('starts from a given base, and refuses an existing branch, a bad base, a used folder and bad includes', async () => {
      const repo = await repositorySourceFor({ local: clone }, { cacheDir }).resolve();
      const first = git(clone, 'rev-list', '--max-parents=0', 'HEAD');
      const dir = newDir();
      const made = await createWorktree({ repo, branch: 'superkick/based', dir, baseRef: first });
      assert.equal(made.base, first);
      await assert.rejects(createWorktree({ repo, branch: 'superkick/based', dir: newDir() }), /already exists/);
      await assert.rejects(createWorktree({ repo, branch: 'superkick/x1', dir: newDir(), baseRef: 'no-such-branch' }), /no such branch, tag or commit/);
      await assert.rejects(createWorktree({ repo, branch: 'superkick/x2', dir }), /already exists and is not empty/);
      await assert.rejects(createWorktree({ repo, branch: 'bad..name', dir: newDir() }), /not a valid git branch name/);
      await assert.rejects(createWorktree({ repo, branch: 'superkick/x3', dir: newDir(), include: ['../etc/passwd'] }), /may not leave the repository/);
      await assert.rejects(createWorktree({ repo, branch: 'superkick/x4', dir: newDir(), include: ['/etc/passwd'] }), /must be relative/);
      assert.equal(git(clone, 'branch', '--list', 'superkick/x*'), '', 'refused worktrees leave no branch behind');
      await removeWorktree(dir);
    });
  });

  describe('branch names', () => {
    it('renders the pattern and keeps every result a valid, safe git branch name', () => {
      const nasty = [
        'issue 42',
        '../../etc/passwd',
        '-rf',
        '--force',
        'a..b',
        'x~1^2:3?*[y]\\z',
        'name.lock',
        'name.lock.lock',
        'end.',
        '.hidden',
        'ünïcødé tïtle',
        '@',
        '@{-1}',
        'HEAD',
        'a//b',
        'tab\there\nnewline',
        'x'.repeat(500),
        '🚀 emoji',
        '...',
        'foo/.lock/bar',
        'x.lock.',
      ];
      for (const value of nasty) {
        if (sanitizeBranchName(value) === '') {
          assert.throws(() => branchName('superkick/{{key}}', { key: value }), /renders to nothing usable/, value);
          continue;
        }
        const name = branchName('superkick/{{key}}', { key: value });
        assert.ok(name.length <= MAX_BRANCH_LENGTH, name);
        assert.ok(!name.startsWith('-'), name);
        assert.ok(!/[\s~^:?*[\\]|\.\.|@\{/.test(name), name);
        assert.ok(!/\.lock(\/|$)/.test(name), name);
        assert.ok(!/(^|\/)\./.test(name) && !name.endsWith('.') && !name.endsWith('/'), name);
        assert.ok(name.startsWith('superkick/'), `a value cannot escape the pattern's folder: ${name}`);
        execFileSync('git', ['check-ref-format', '--branch', name], { stdio: 'ignore' });
      }
      for (const raw of nasty) {
        const name = sanitizeBranchName(raw);
        if (name) execFileSync('git', ['check-ref-format', '--branch', name], { stdio: 'ignore' });
        assert.ok(!name.startsWith('-'));
      }
      assert.equal(branchName('sk/{{ source }}-{{number}}', { source: 'GitHub Issue', number: 7 }), 'sk/GitHub-Issue-7');
      assert.equal(branchName('superkick/{{key}}', { key: 'a/b' }), 'superkick/a-b');
      assert.throws(() => branchName('superkick/{{nope}}', { key: 'x' }), /unknown placeholder \{\{nope\}\}/);
      assert.throws(() => branchName('{{key}}', { key: '...' }), /renders to nothing usable/);
      assert.throws(() => branchName('///', {}), /empty branch name/);
    });
  });

  describe('safe removal', () => {
    it('refuses while there are uncommitted changes; allows it once clean', async () => {
      const repo = await repositorySourceFor({ local: clone }, { cacheDir }).resolve();
      const dir = newDir();
      await createWorktree({ repo, branch: 'superkick/dirty', dir });
      fs.writeFileSync(path.join(dir, 'README.md'), 'changed\n');
      const status = await worktreeStatus(dir);
      assert.equal(status.branch, 'superkick/dirty');
      assert.deepEqual(status.uncommitted, [' M README.md']);
      await assert.rejects(removeWorktree(dir), (error: Error) => error instanceof UserError && /1 uncommitted change\(s\): {2}M README.md/.test(error.message));
      assert.ok(fs.existsSync(dir));
      git(dir, 'checkout', '--quiet', '--', 'README.md');
      await removeWorktree(dir);
      assert.equal(fs.existsSync(dir), false);
    });

    it('refuses while a commit exists only on the worktree branch; allows it once pushed', async () => {
      const repo = await repositorySourceFor({ local: clone }, { cacheDir }).resolve();
      const dir = newDir();
      await createWorktree({ repo, branch: 'superkick/ahead', dir });
      commitFile(dir, 'work.txt', 'done\n', 'agent work');
      const status = await worktreeStatus(dir);
      assert.equal(status.uncommitted.length, 0);
      assert.equal(status.unpushedCount, 1);
      assert.match(status.unpushed[0], /agent work$/);
      await assert.rejects(removeWorktree(dir), /1 unpushed commit\(s\): [0-9a-f]+ agent work/);
      git(dir, 'push', '--quiet', '-u', 'origin', 'superkick/ahead');
      assert.equal((await worktreeStatus(dir)).unpushedCount, 0);
      await removeWorktree(dir);
      assert.equal(fs.existsSync(dir), false);
    });

    it('refuses while a process works inside; allows it after the process ended', async () => {
      const repo = await repositorySourceFor({ local: clone }, { cacheDir }).resolve();
      const dir = newDir();
      await createWorktree({ repo, branch: 'superkick/busy', dir });
      fs.mkdirSync(path.join(dir, 'deep'));
      const child = spawn('sleep', ['300'], { cwd: path.join(dir, 'deep'), stdio: 'ignore' });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      try {
        const pid = child.pid!;
        await whenEvent(
          (listener) => {
            const timer = setInterval(listener, 20);
            return () => clearInterval(timer);
          },
          () => (processWorkingDirs().some((p) => p.pid === pid && p.cwd.startsWith(dir)) ? true : undefined),
          'the sleep process to show its cwd in /proc',
        );
        const status = await worktreeStatus(dir);
        assert.deepEqual(status.processes.map((p) => p.pid), [pid]);
        await assert.rejects(removeWorktree(dir), new RegExp(`1 live process\\(es\\) inside: ${pid} sleep`));
      } finally {
        process.kill(child.pid!, 'SIGTERM');
        await exited;
      }
      await removeWorktree(dir);
      assert.equal(fs.existsSync(dir), false);
    });

    it('removes with force despite the guards, never the main checkout, and lists worktrees with status', async () => {
      const repo = await repositorySourceFor({ local: clone }, { cacheDir }).resolve();
      const dirty = newDir();
      await createWorktree({ repo, branch: 'superkick/list-dirty', dir: dirty });
      fs.writeFileSync(path.join(dirty, 'scratch.txt'), 'x\n');
      const clean = newDir();
      await createWorktree({ repo, branch: 'superkick/list-clean', dir: clean });
      const gone = newDir();
      await createWorktree({ repo, branch: 'superkick/list-gone', dir: gone });
      fs.rmSync(gone, { recursive: true });

      const listed = await listWorktrees(repo);
      const byDir = new Map(listed.map((entry) => [entry.dir, entry]));
      assert.equal(byDir.has(clone), false, 'the main checkout is not listed');
      const dirtyEntry = byDir.get(dirty);
      assert.ok(dirtyEntry && !dirtyEntry.missing);
      assert.deepEqual(dirtyEntry.status.uncommitted, ['?? scratch.txt']);
      const cleanEntry = byDir.get(clean);
      assert.ok(cleanEntry && !cleanEntry.missing);
      assert.equal(cleanEntry.status.uncommitted.length + cleanEntry.status.unpushedCount + cleanEntry.status.processes.length, 0);
      assert.deepEqual(byDir.get(gone), { dir: gone, missing: true, branch: 'superkick/list-gone' });

      await assert.rejects(removeWorktree(clone, { force: true }), /main checkout, which is never removed/);
      await removeWorktree(dirty, { force: true });
      await removeWorktree(clean);
      assert.equal(fs.existsSync(dirty) || fs.existsSync(clean), false);
      await assert.rejects(worktreeStatus(path.join(root, 'nope')), /no such folder/);
      await assert.rejects(worktreeStatus(path.join(root, 'plain')), /not a git worktree/);
    });
  });
});
