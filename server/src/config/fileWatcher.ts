/**
 * Calls back when a file may have changed. It watches the file's directory,
 * not the file: editors save by writing a new file and renaming it over the
 * old one, which a watch on the old file never sees. A burst of events (one
 * save is often several) becomes one call.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Events of one save arrive within a few milliseconds; this joins them without delaying a reload noticeably. */
const SETTLE_MS = 30;

export interface FileWatch {
  close(): void;
}

export function watchFile(file: string, onChange: () => void, onError: (error: Error) => void): FileWatch {
  const dir = path.dirname(file);
  const name = path.basename(file);
  let timer: NodeJS.Timeout | undefined;
  const watcher = fs.watch(dir, { persistent: false }, (_event, changed) => {
    if (changed !== null && changed.toString() !== name) return;
    clearTimeout(timer);
    timer = setTimeout(onChange, SETTLE_MS);
  });
  watcher.on('error', onError);
  return {
    close: () => {
      clearTimeout(timer);
      watcher.close();
    },
  };
}
