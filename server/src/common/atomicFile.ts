/**
 * Crash-safe file replacement: write a temp file, fsync it, rename it over the
 * target, fsync the directory. A reader sees the old or the new file, never a
 * torn one, even after kill -9 or power loss.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export function writeFileAtomic(file: string, data: string | Buffer, mode = 0o644): void {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const fd = fs.openSync(temp, 'w', mode);
  try {
    fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, file);
  const dirFd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(dirFd);
  } finally {
    fs.closeSync(dirFd);
  }
}

/**
 * Reads a JSON file. A missing file gives `undefined`; a corrupt one is moved
 * aside (so nothing is lost and the next write succeeds) and reported.
 */
export function readJsonOrQuarantine<T>(file: string, onCorrupt: (movedTo: string, reason: string) => void): T | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    const movedTo = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    fs.renameSync(file, movedTo);
    onCorrupt(movedTo, (error as Error).message);
    return undefined;
  }
}
