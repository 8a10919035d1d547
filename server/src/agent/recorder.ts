/**
 * An asciicast v2 recording (what `asciinema play` reads): a JSON header line,
 * then one `[seconds, "o", text]` line per output batch and `[seconds, "r",
 * "COLSxROWS"]` per resize. Started mid-session, it opens with the current
 * screen so playback shows what the agent showed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { ensureDir } from '../common/secureDir';

export class AsciicastRecorder {
  private readonly stream: fs.WriteStream;
  private readonly decoder = new StringDecoder('utf8');
  private readonly started = process.hrtime.bigint();

  constructor(readonly file: string, cols: number, rows: number, options: { command?: string; title?: string; initialScreen?: string } = {}) {
    ensureDir(path.dirname(file));
    this.stream = fs.createWriteStream(file, { flags: 'w', mode: 0o600 });
    const header: Record<string, unknown> = {
      version: 2,
      width: cols,
      height: rows,
      timestamp: Math.floor(Date.now() / 1000),
      env: { TERM: process.env.TERM || 'xterm-256color', SHELL: process.env.SHELL || '/bin/sh' },
    };
    if (options.command) header.command = options.command;
    if (options.title) header.title = options.title;
    this.stream.write(`${JSON.stringify(header)}\n`);
    if (options.initialScreen) this.event('o', options.initialScreen);
  }

  output(data: Buffer): void {
    const text = this.decoder.write(data);
    if (text) this.event('o', text);
  }

  resize(cols: number, rows: number): void {
    this.event('r', `${cols}x${rows}`);
  }

  async close(): Promise<void> {
    const rest = this.decoder.end();
    if (rest) this.event('o', rest);
    await new Promise<void>((resolve) => this.stream.end(resolve));
  }

  private event(code: 'o' | 'r', data: string): void {
    const seconds = Number(process.hrtime.bigint() - this.started) / 1e9;
    this.stream.write(`[${seconds.toFixed(6)}, ${JSON.stringify(code)}, ${JSON.stringify(data)}]\n`);
  }
}
