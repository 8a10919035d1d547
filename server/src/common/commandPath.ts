/** Finds a program the way a shell would, so a missing one gets a clear error and exit 127. */
import * as fs from 'node:fs';
import * as path from 'node:path';

export function resolveCommand(command: string, cwd: string, envPath = process.env.PATH ?? ''): string | undefined {
  if (command.includes('/')) {
    const full = path.resolve(cwd, command);
    return isExecutable(full) ? full : undefined;
  }
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    const full = path.resolve(cwd, dir, command);
    if (isExecutable(full)) return full;
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
