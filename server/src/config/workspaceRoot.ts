/** Which workspace a folder belongs to, and where that workspace's configuration file is. */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const WORKSPACE_FILE = 'superkick.yml';

export function workspaceFile(root: string): string {
  return path.join(root, WORKSPACE_FILE);
}

/** A path with symbolic links resolved, so one folder is one workspace however it is reached. */
export function realPath(dir: string): string {
  try {
    return fs.realpathSync(path.resolve(dir));
  } catch {
    return path.resolve(dir);
  }
}

/** The nearest folder at or above `dir` with a superkick.yml or a .git; `dir` itself when there is none. */
export function findWorkspaceRoot(dir: string): string {
  const start = realPath(dir);
  for (let current = start; ; current = path.dirname(current)) {
    if (fs.existsSync(path.join(current, WORKSPACE_FILE)) || fs.existsSync(path.join(current, '.git'))) return current;
    if (path.dirname(current) === current) return start;
  }
}

/** The workspace of the current directory; undefined when the directory is gone. */
export function currentWorkspace(): string | undefined {
  try {
    return findWorkspaceRoot(process.cwd());
  } catch {
    return undefined;
  }
}
