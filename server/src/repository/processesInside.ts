/**
 * Which processes have their working directory inside a folder — a worktree with
 * a live process in it (an agent, a dev server, a shell) must not be deleted.
 * Linux only (/proc); elsewhere the answer is empty and says nothing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface ProcessCwd {
  pid: number;
  cwd: string;
  /** The short command name (/proc/<pid>/comm), for messages. */
  command: string;
}

/** Every process whose cwd we may read; the others (another user's, exited meanwhile) are skipped. */
export function processWorkingDirs(): ProcessCwd[] {
  let names: string[];
  try {
    names = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  const found: ProcessCwd[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cwd = fs.readlinkSync(`/proc/${name}/cwd`);
      let command = '';
      try {
        command = fs.readFileSync(`/proc/${name}/comm`, 'utf8').trim();
      } catch {
        // The name is only for the message.
      }
      found.push({ pid: Number(name), cwd, command });
    } catch {
      // Not ours to read, or gone.
    }
  }
  return found;
}

export function processesInside(dir: string, snapshot: readonly ProcessCwd[] = processWorkingDirs()): ProcessCwd[] {
  let root = path.resolve(dir);
  try {
    root = fs.realpathSync(root);
  } catch {
    // A folder that is gone has no processes inside worth finding by its real path.
  }
  return snapshot.filter(({ cwd }) => cwd === root || cwd.startsWith(root + path.sep));
}
