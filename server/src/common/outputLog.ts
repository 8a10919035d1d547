/**
 * The bounded output log of an agent: everything its program printed, as raw
 * bytes, under `logs/agents/`. The live segment `<id>.log` is appended to;
 * past `segmentBytes` it becomes `<id>.<seq>.log`, and only the newest
 * `keepSegments` rotated segments are kept. Rotated segments are gzipped once
 * the output has been quiet for a moment (or the log closes): compressing
 * during a flood would take CPU from the program and its viewers, and a long
 * flood only prunes segments it would have compressed. This is also where
 * history deeper than the screen model's scrollback lives.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { ensureDir } from './secureDir';

export interface OutputLogOptions {
  segmentBytes: number;
  keepSegments: number;
}

export const DEFAULT_OUTPUT_LOG: OutputLogOptions = { segmentBytes: 8 * 1024 * 1024, keepSegments: 8 };

/** Compress rotated segments after this long without output. */
const COMPRESS_WHEN_QUIET_MS = 1_000;
/**
 * Output is gathered this long (or up to GATHER_BYTES) before it is written:
 * one write per burst instead of one per keystroke echo, each of which would
 * cost a thread-pool round trip and a wake-up of the agent's main thread.
 */
const GATHER_MS = 25;
const GATHER_BYTES = 256 * 1024;

function livePath(dir: string, id: string): string {
  return path.join(dir, `${id}.log`);
}

/** Rotated segments, oldest first: `[seq, file]`. */
function segments(dir: string, id: string): Array<[number, string]> {
  const pattern = new RegExp(`^${id}\\.(\\d+)\\.log(\\.gz)?$`);
  const found = new Map<number, string>();
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  for (const name of names) {
    const match = pattern.exec(name);
    if (!match) continue;
    const seq = Number(match[1]);
    // Prefer the compressed file once it is complete; the plain one is removed right after.
    if (match[2] || !found.has(seq)) found.set(seq, path.join(dir, name));
  }
  return [...found.entries()].sort((a, b) => a[0] - b[0]);
}

export class OutputLogWriter {
  private stream: fs.WriteStream;
  private written: number;
  private seq: number;
  /** Rotated segments not compressed yet, oldest first. */
  private uncompressed: string[] = [];
  private compressing: Promise<void> = Promise.resolve();
  private readonly quietTimer: NodeJS.Timeout;
  private readonly gatherTimer: NodeJS.Timeout;
  private gathered = 0;

  constructor(private readonly dir: string, private readonly id: string, private readonly options = DEFAULT_OUTPUT_LOG) {
    ensureDir(dir);
    const existing = segments(dir, id);
    this.seq = existing.length ? existing[existing.length - 1][0] + 1 : 1;
    this.uncompressed = existing.filter(([, file]) => !file.endsWith('.gz')).map(([, file]) => file);
    this.stream = openAppend(livePath(dir, id));
    this.written = safeSize(livePath(dir, id));
    this.quietTimer = setTimeout(() => this.compressRotated(), COMPRESS_WHEN_QUIET_MS);
    this.quietTimer.unref();
    // Re-armed with refresh() when gathering starts (a cleared timer cannot be re-armed, so it is never cleared before close).
    this.gatherTimer = setTimeout(() => this.release(), GATHER_MS);
    this.gatherTimer.unref();
  }

  write(chunk: Buffer): void {
    if (this.gathered === 0) {
      this.stream.cork();
      this.gatherTimer.refresh();
    }
    this.stream.write(chunk);
    this.gathered += chunk.length;
    this.written += chunk.length;
    this.quietTimer.refresh();
    if (this.gathered >= GATHER_BYTES) this.release();
    if (this.written >= this.options.segmentBytes) this.rotate();
  }

  /** Resolves once every byte written so far is on disk and every rotated segment is compressed. */
  async close(): Promise<void> {
    clearTimeout(this.quietTimer);
    clearTimeout(this.gatherTimer);
    this.release();
    await new Promise<void>((resolve) => this.stream.end(resolve));
    await this.compressRotated();
  }

  /** Writes what has been gathered. */
  private release(): void {
    if (this.gathered === 0) return;
    this.gathered = 0;
    this.stream.uncork();
  }

  private rotate(): void {
    const live = livePath(this.dir, this.id);
    const rotated = path.join(this.dir, `${this.id}.${this.seq++}.log`);
    // The stream holds its own fd: after the rename it drains into the rotated file, and new writes go to a fresh one.
    fs.renameSync(live, rotated);
    this.release();
    this.stream.end();
    this.stream = openAppend(live);
    this.written = 0;
    this.uncompressed.push(rotated);
    this.prune();
  }

  private compressRotated(): Promise<void> {
    this.compressing = this.compressing.then(async () => {
      while (this.uncompressed.length) {
        const file = this.uncompressed[0];
        await compress(file).catch(() => undefined); // Pruned meanwhile, or a full disk: keep it as it is.
        this.uncompressed.shift();
      }
    });
    return this.compressing;
  }

  private prune(): void {
    const all = segments(this.dir, this.id);
    for (const [seq] of all.slice(0, Math.max(0, all.length - this.options.keepSegments))) {
      const plain = path.join(this.dir, `${this.id}.${seq}.log`);
      fs.rmSync(plain, { force: true });
      fs.rmSync(`${plain}.gz`, { force: true });
      this.uncompressed = this.uncompressed.filter((file) => file !== plain);
    }
  }
}

/** Opened synchronously, so the stream is bound to its inode at once and a rename can never race its open. */
function openAppend(file: string): fs.WriteStream {
  return fs.createWriteStream('', { fd: fs.openSync(file, 'a', 0o600) });
}

async function compress(file: string): Promise<void> {
  const data = await fs.promises.readFile(file);
  // Level 1: about 8x cheaper than the default for about a third more bytes; this runs while output streams.
  const gz = await new Promise<Buffer>((resolve, reject) => zlib.gzip(data, { level: 1 }, (error, out) => (error ? reject(error) : resolve(out))));
  // Written aside and renamed, so a reader never sees half a .gz.
  await fs.promises.writeFile(`${file}.gz.tmp`, gz, { mode: 0o600 });
  await fs.promises.rename(`${file}.gz.tmp`, `${file}.gz`);
  await fs.promises.rm(file, { force: true });
}

function safeSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** The retained log, oldest byte first; at most the newest `maxBytes`. */
export function readOutputLog(dir: string, id: string, maxBytes = 16 * 1024 * 1024): { data: Buffer; truncated: boolean; found: boolean } {
  const parts: Buffer[] = [];
  let found = false;
  for (const [, file] of segments(dir, id)) {
    try {
      const raw = fs.readFileSync(file);
      parts.push(file.endsWith('.gz') ? zlib.gunzipSync(raw) : raw);
      found = true;
    } catch {
      // A segment rotated away while we read: skip it.
    }
  }
  try {
    parts.push(fs.readFileSync(livePath(dir, id)));
    found = true;
  } catch {
    // No live segment (yet).
  }
  const data = Buffer.concat(parts);
  return data.length > maxBytes
    ? { data: data.subarray(data.length - maxBytes), truncated: true, found }
    : { data, truncated: false, found };
}
