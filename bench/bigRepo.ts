/**
 * A git repository the size of a real project, made fast: one commit of
 * `files` small text files streamed into `git fast-import` (no working files
 * written, no `git add` of thousands of paths), then checked out once so it
 * looks like any clone on disk.
 *
 * Also the git identity and configuration every git the bench runs uses, so
 * the machine's own git config cannot change what is measured.
 */
import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const BENCH_GIT_ENV: Record<string, string> = {
  GIT_AUTHOR_NAME: 'Superkick bench',
  GIT_AUTHOR_EMAIL: 'bench@superkick.invalid',
  GIT_COMMITTER_NAME: 'Superkick bench',
  GIT_COMMITTER_EMAIL: 'bench@superkick.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_TERMINAL_PROMPT: '0',
};

/** git, asynchronously (a smart-HTTP server may be answering in this same process). */
export function gitAsync(cwd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', ['-c', 'init.defaultBranch=main', ...args], { cwd, env: { ...process.env, ...BENCH_GIT_ENV }, maxBuffer: 64 << 20, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) reject(new Error(`git ${args.join(' ')} in ${cwd} failed: ${stderr || error.message}`));
      else resolve(stdout.trim());
    });
  });
}

/** Files per folder: a few hundred folders of a few dozen files, like a source tree. */
const FILES_PER_FOLDER = 40;

/** One file's text: a few hundred bytes that differ per file, so git stores each blob. */
function fileText(index: number): string {
  const lines = [`// module ${index}`, `export const id${index} = ${index};`];
  for (let line = 0; line < 8; line++) lines.push(`export function f${index}_${line}(x: number): number { return x * ${index + line} + ${(index * 7919 + line * 104729) % 1000003}; }`);
  return `${lines.join('\n')}\n`;
}

/** Makes `dir` a repository on `main` with one commit of `files` files, checked out. */
export async function makeBigRepo(dir: string, files: number): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  await gitAsync(dir, ['init', '--quiet']);
  await new Promise<void>((resolve, reject) => {
    const importer = spawn('git', ['fast-import', '--quiet'], { cwd: dir, env: { ...process.env, ...BENCH_GIT_ENV }, stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    importer.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    importer.on('error', reject);
    importer.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`git fast-import exited ${code}: ${stderr}`))));
    const message = `${files} files\n`;
    const parts: string[] = [`commit refs/heads/main\ncommitter Superkick bench <bench@superkick.invalid> 1700000000 +0000\ndata ${Buffer.byteLength(message)}\n${message}`];
    for (let index = 0; index < files; index++) {
      const text = fileText(index);
      const folder = `src/pkg${String(Math.floor(index / FILES_PER_FOLDER)).padStart(3, '0')}`;
      parts.push(`M 100644 inline ${folder}/mod${index}.ts\ndata ${Buffer.byteLength(text)}\n${text}`);
    }
    importer.stdin.end(parts.join(''));
  });
  // fast-import wrote objects and the ref only: fill the index and the working files from the commit.
  await gitAsync(dir, ['reset', '--hard', '--quiet', 'main']);
  const count = Number((await gitAsync(dir, ['ls-files'])).split('\n').length);
  if (count !== files) throw new Error(`the generated repository has ${count} files, not ${files}`);
  if (!fs.existsSync(path.join(dir, 'src', 'pkg000', 'mod0.ts'))) throw new Error('the generated repository was not checked out');
}
