/**
 * The host lock: one host per SUPERKICK_DIR. `open(O_EXCL)` makes taking it
 * atomic; a lock left by a dead host is broken under a second, short-lived
 * "breaker" lock so that two starters can never both break it and both win.
 */
import * as fs from 'node:fs';
import { isProcessAlive } from '../common/processes';

export type LockResult = { acquired: true; release: () => void } | { acquired: false; holderPid: number };

/** A breaker lock older than this was left by a process that died mid-break. */
const STALE_BREAKER_MS = 10_000;

function readHolder(lockFile: string): number | undefined {
  try {
    return Number.parseInt(fs.readFileSync(lockFile, 'utf8'), 10);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function tryCreate(lockFile: string): boolean {
  try {
    const fd = fs.openSync(lockFile, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600);
    fs.writeSync(fd, String(process.pid));
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

export function acquireLock(lockFile: string): LockResult {
  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryCreate(lockFile)) return { acquired: true, release: () => releaseLock(lockFile) };
    const holder = readHolder(lockFile);
    if (holder === undefined) continue; // released between our two calls
    // An empty or half-written lock belongs to a starter that is still writing it.
    if (Number.isNaN(holder) || isProcessAlive(holder)) return { acquired: false, holderPid: holder };
    breakStaleLock(lockFile, holder);
  }
  const holder = readHolder(lockFile) ?? -1;
  return { acquired: false, holderPid: holder };
}

function breakStaleLock(lockFile: string, deadPid: number): void {
  const breaker = `${lockFile}.break`;
  if (!tryCreate(breaker)) {
    try {
      if (Date.now() - fs.statSync(breaker).mtimeMs > STALE_BREAKER_MS) fs.rmSync(breaker, { force: true });
    } catch {
      // Gone already.
    }
    return;
  }
  try {
    // Re-read under the breaker: only remove the lock we judged stale.
    if (readHolder(lockFile) === deadPid) fs.rmSync(lockFile, { force: true });
  } finally {
    fs.rmSync(breaker, { force: true });
  }
}

function releaseLock(lockFile: string): void {
  if (readHolder(lockFile) === process.pid) fs.rmSync(lockFile, { force: true });
}
