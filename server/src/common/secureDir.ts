/**
 * Private directories: created 0700 whatever the umask, and refused when they
 * belong to someone else or let group/other in, because sockets and tokens in
 * them are the keys to every agent.
 */
import * as fs from 'node:fs';
import { UserError } from './userError';

export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  checkPrivateDir(dir);
}

export function checkPrivateDir(dir: string): void {
  const stat = fs.lstatSync(dir);
  if (!stat.isDirectory()) throw new UserError(`${dir} is not a directory; remove it and try again`);
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) {
    throw new UserError(`${dir} belongs to uid ${stat.uid}, not to you (uid ${uid}); refusing to use it. Set SUPERKICK_DIR to a directory of your own.`);
  }
  const loose = stat.mode & 0o077;
  if (loose) {
    throw new UserError(`${dir} has mode ${(stat.mode & 0o777).toString(8)}, which lets group/other in; refusing to use it. Run: chmod 700 ${dir}`);
  }
}

/** Creates a directory for plain data (logs, state): 0755 at most, so never group/other writable, even under umask 000. */
export function ensureDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
}

/** Writes a secret file 0600 (created exclusively, so a racing writer cannot swap it). */
export function writeSecretFile(file: string, contents: string): void {
  const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600);
  try {
    fs.fchmodSync(fd, 0o600);
    fs.writeSync(fd, contents);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
