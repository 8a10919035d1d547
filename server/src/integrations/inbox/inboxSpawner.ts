/**
 * Reads the inbox folder: each `*.json` file in it is one piece of work,
 * `{ "title": …, "body": …, "url": …, "key": … }` (only `title` is
 * required). The file's `key` (or its name) makes the dispatch key, so the
 * same file is one agent however often it is read; the file may stay.
 * A file that is not such JSON is skipped and logged once per version.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../../common/userError';
import type { SpawnerEntry, SpawnerKind, SpawnWork } from '../../spawn/spawnerKind';

export interface InboxParams {
  entry: string;
  folder: string;
}

/** Bigger files are not work descriptions; they are skipped unread. */
const MAX_FILE_BYTES = 256 * 1024;
const KEY_PATTERN = /^[A-Za-z0-9._-]{1,80}$/;

/** Bad files already reported (path and mtime), so each version is logged once. */
const reported = new Set<string>();

export const inboxSpawnerKind: SpawnerKind<InboxParams> = {
  kickoffTemplate: 'inbox/task',

  params(entry: SpawnerEntry): InboxParams {
    const folder = entry.config.folder;
    if (typeof folder !== 'string' || !folder) throw new UserError(`spawner "${entry.name}": folder is required`);
    return { entry: entry.name, folder: path.resolve(entry.workspace ?? process.cwd(), folder) };
  },

  async poll(params, env): Promise<SpawnWork[]> {
    let names: string[];
    try {
      names = fs.readdirSync(params.folder).filter((name) => name.endsWith('.json')).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UserError(`inbox folder ${params.folder} does not exist`);
      throw error;
    }
    const work: SpawnWork[] = [];
    for (const name of names) {
      const file = path.join(params.folder, name);
      try {
        const item = readItem(file, name);
        if (item) work.push(toWork(params, item, file));
      } catch (error) {
        const stamp = `${file}:${safeMtime(file)}`;
        if (!reported.has(stamp)) {
          reported.add(stamp);
          env.log.warn('spawners.inbox', `${file}: skipped: ${(error as Error).message}`);
        }
      }
    }
    return work;
  },

  watch(params, wake) {
    let watcher: fs.FSWatcher | undefined;
    try {
      watcher = fs.watch(params.folder, () => wake());
      watcher.on('error', () => watcher?.close());
    } catch {
      // No folder yet: the polls say so, and find files once it exists.
    }
    return { close: () => watcher?.close() };
  },
};

interface InboxItem {
  key: string;
  title: string;
  body: string | null;
  url: string | null;
  fields: Record<string, unknown>;
}

function readItem(file: string, name: string): InboxItem | undefined {
  const stat = fs.statSync(file);
  if (!stat.isFile()) return undefined;
  if (stat.size > MAX_FILE_BYTES) throw new Error(`larger than ${MAX_FILE_BYTES / 1024} KiB`);
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    // A file still being written is read again at the next poll.
    throw new Error(`not JSON (${(error as Error).message})`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new Error('not a JSON object');
  const fields = data as Record<string, unknown>;
  if (typeof fields.title !== 'string' || !fields.title.trim()) throw new Error('"title" (a non-empty string) is required');
  const key = typeof fields.key === 'string' ? fields.key : name.slice(0, -'.json'.length);
  if (!KEY_PATTERN.test(key)) throw new Error(`key "${key}" may only have letters, digits, ".", "_" and "-" (at most 80)`);
  return {
    key,
    title: fields.title,
    body: typeof fields.body === 'string' ? fields.body : null,
    url: typeof fields.url === 'string' ? fields.url : null,
    fields,
  };
}

function toWork(params: InboxParams, item: InboxItem, file: string): SpawnWork {
  return {
    key: `inbox-${params.entry}-${item.key}`,
    summary: item.title.replace(/\s+/g, ' ').slice(0, 120),
    vars: {
      task: { title: item.title, body: item.body, url: item.url, source: `inbox file ${path.basename(file)}` },
      inbox: { file, key: item.key, fields: item.fields },
    },
  };
}

function safeMtime(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}
