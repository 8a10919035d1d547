/**
 * Reads a growing JSON-lines file a piece at a time: each call returns the
 * lines completed since the last one. A last line still being written is kept
 * for the next call; a line that is not JSON is skipped. A file that shrank
 * (replaced or truncated) is read again from the start, which is why every
 * reader keys what it counts by an id found in the lines.
 */
import * as fs from 'node:fs';

/** Reads at most this much per call, so a huge backlog costs several polls, not one long stall. */
const CHUNK_BYTES = 4 << 20;

export class JsonlTail {
  private offset = 0;
  private partial = Buffer.alloc(0);

  constructor(readonly file: string) {}

  /** Lines appended since the last call; `restarted` when the file was read again from the start. */
  read(): { lines: unknown[]; restarted: boolean } {
    let size: number;
    try {
      size = fs.statSync(this.file).size;
    } catch {
      return { lines: [], restarted: false };
    }
    let restarted = false;
    if (size < this.offset) {
      this.offset = 0;
      this.partial = Buffer.alloc(0);
      restarted = true;
    }
    if (size === this.offset) return { lines: [], restarted };
    const length = Math.min(size - this.offset, CHUNK_BYTES);
    const buffer = Buffer.alloc(length);
    const fd = fs.openSync(this.file, 'r');
    let got: number;
    try {
      got = fs.readSync(fd, buffer, 0, length, this.offset);
    } finally {
      fs.closeSync(fd);
    }
    this.offset += got;
    // Split on bytes, not characters: a chunk may end inside a multi-byte character.
    const bytes = Buffer.concat([this.partial, buffer.subarray(0, got)]);
    const end = bytes.lastIndexOf(0x0a) + 1;
    // What follows the last newline is a line still being written: kept for the next call.
    this.partial = Buffer.from(bytes.subarray(end));
    const pieces = bytes.subarray(0, end).toString('utf8').split('\n');
    const lines: unknown[] = [];
    for (const piece of pieces) {
      if (!piece.trim()) continue;
      try {
        lines.push(JSON.parse(piece));
      } catch {
        // A garbled line counts nothing; the ones around it still do.
      }
    }
    return { lines, restarted };
  }
}
