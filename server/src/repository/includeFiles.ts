/**
 * Copies the files a user lists (`.env`, `config/*.local.json`) from a source
 * checkout into a new worktree — the untracked files an agent needs but git
 * does not carry. Symlinks are never followed out of either tree: a listed path
 * that leads outside the source is skipped, and nothing is written through a
 * link that leads outside the worktree.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../common/userError';

export interface IncludeResult {
  /** Paths (relative, with `/`) copied into the worktree. */
  copied: string[];
  /** Listed paths or matches that were not copied, and why. */
  skipped: { path: string; reason: string }[];
}

const GLOB_CHARS = /[*?[]/;

export function copyIncludedFiles(sourceDir: string, targetDir: string, patterns: readonly string[]): IncludeResult {
  const result: IncludeResult = { copied: [], skipped: [] };
  const sourceRoot = fs.realpathSync(sourceDir);
  const targetRoot = fs.realpathSync(targetDir);
  for (const pattern of patterns) {
    const clean = validateIncludePattern(pattern);
    const matches = GLOB_CHARS.test(clean) ? globMatches(sourceRoot, clean) : [clean];
    if (matches.length === 0) result.skipped.push({ path: pattern, reason: 'nothing matches' });
    for (const relative of matches) copyEntry(sourceRoot, targetRoot, relative, result);
  }
  return result;
}

/** The pattern made canonical; throws a UserError for one that is empty, absolute or uses `..`. */
export function validateIncludePattern(pattern: string): string {
  const clean = pattern.trim().replace(/\\/g, '/').replace(/^\.\/+/, '').replace(/\/+$/, '');
  if (!clean) throw new UserError(`include "${pattern}": empty path`);
  if (path.posix.isAbsolute(clean) || /^[A-Za-z]:/.test(clean)) throw new UserError(`include "${pattern}": must be relative to the repository`);
  if (clean.split('/').includes('..')) throw new UserError(`include "${pattern}": may not leave the repository ("..")`);
  return clean;
}

/** Whether `child` is `root` or lies inside it. */
function isInside(root: string, child: string): boolean {
  const relative = path.relative(root, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

function copyEntry(sourceRoot: string, targetRoot: string, relative: string, result: IncludeResult): void {
  const from = path.join(sourceRoot, relative);
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(from);
  } catch {
    result.skipped.push({ path: relative, reason: 'not found in the source checkout' });
    return;
  }
  // A directory on the way may be a link out of the repository: check where the parent really is.
  if (!isInside(sourceRoot, fs.realpathSync(path.dirname(from)))) {
    result.skipped.push({ path: relative, reason: 'leads outside the source checkout through a symlink' });
    return;
  }
  if (relative === '.git' || relative.startsWith('.git/')) {
    result.skipped.push({ path: relative, reason: 'git metadata is never copied' });
    return;
  }
  const to = path.join(targetRoot, relative);
  fs.mkdirSync(path.dirname(to), { recursive: true });
  if (!isInside(targetRoot, fs.realpathSync(path.dirname(to)))) {
    result.skipped.push({ path: relative, reason: 'its folder in the worktree is a symlink leading outside it' });
    return;
  }
  if (stat.isSymbolicLink()) {
    let target: string;
    try {
      target = fs.realpathSync(from);
    } catch {
      result.skipped.push({ path: relative, reason: 'a dangling symlink' });
      return;
    }
    if (!isInside(sourceRoot, target)) {
      result.skipped.push({ path: relative, reason: 'a symlink leading outside the source checkout (not followed)' });
      return;
    }
    // A link within the repository stays a link, pointing where it pointed.
    fs.rmSync(to, { force: true, recursive: true });
    fs.symlinkSync(fs.readlinkSync(from), to);
    result.copied.push(relative);
  } else if (stat.isDirectory()) {
    fs.mkdirSync(to, { recursive: true });
    for (const name of fs.readdirSync(from).sort()) copyEntry(sourceRoot, targetRoot, path.posix.join(relative, name), result);
  } else if (stat.isFile()) {
    fs.copyFileSync(from, to);
    fs.chmodSync(to, stat.mode & 0o7777);
    result.copied.push(relative);
  } else {
    result.skipped.push({ path: relative, reason: 'not a regular file, directory or symlink' });
  }
}

/** Paths under `root` matching a glob (`*`, `?`, `[…]` within a component, `**` across them); never descends symlinks or .git. */
function globMatches(root: string, pattern: string): string[] {
  const parts = pattern.split('/');
  const firstGlob = parts.findIndex((part) => GLOB_CHARS.test(part));
  const base = parts.slice(0, firstGlob).join('/');
  const matcher = globToRegExp(pattern);
  const matches: string[] = [];
  const walk = (relative: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(root, relative), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (child === '.git') continue;
      if (matcher.test(child)) matches.push(child);
      else if (entry.isDirectory()) walk(child);
    }
  };
  walk(base);
  return matches;
}

function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '*' && pattern[i + 1] === '*') {
      // `**/` matches zero or more whole folders; a bare `**` anything below.
      if (pattern[i + 2] === '/') {
        source += '(?:.*/)?';
        i += 2;
      } else {
        source += '.*';
        i += 1;
      }
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '[') {
      const close = pattern.indexOf(']', i + 1);
      if (close === -1) source += '\\[';
      else {
        source += `[${pattern.slice(i + 1, close).replace(/^!/, '^').replace(/[\\\]]/g, '\\$&')}]`;
        i = close;
      }
    } else source += char.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
