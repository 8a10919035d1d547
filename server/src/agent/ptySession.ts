/**
 * The program's pseudoterminal (node-pty), with an exit that is reported only
 * after every byte the program wrote has been read.
 *
 * node-pty reports exit once its read stream closes, or 200 ms after the
 * program died if it has not, and then destroys the stream with whatever the
 * kernel still held (node-pty issue #726: the tail of a fast-exiting program
 * is lost when the event loop is busy). So we hold the pty's slave side open
 * ourselves, which keeps the stream from ever hitting EIO early, and when
 * node-pty moves to destroy the stream (its sign that the program is gone)
 * we write a sentinel into the slave. Bytes on a pty come out in the order
 * they went in: once the sentinel is read back, everything before it has
 * been delivered, and only then do we let node-pty close and report exit.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as pty from 'node-pty';

export interface PtyExit { exitCode: number; signal: number | null }

export interface PtySessionOptions {
  file: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  cols: number;
  rows: number;
  onData: (data: Buffer) => void;
  onExit: (exit: PtyExit) => void;
}

interface NodePtyInternals {
  _socket?: { destroy: (...args: unknown[]) => unknown };
  _writeStream?: { _writeQueue?: unknown[] };
  ptsName?: string;
  fd?: number;
}

export class PtySession {
  private readonly term: pty.IPty;
  private slaveFd: number | undefined;
  private sentinel: Buffer | undefined;
  private carry: Buffer = Buffer.alloc(0);
  private releaseStream: (() => void) | undefined;

  constructor(private readonly options: PtySessionOptions) {
    this.term = pty.spawn(options.file, options.args, {
      name: options.env.TERM || 'xterm-256color',
      cols: options.cols,
      rows: options.rows,
      cwd: options.cwd,
      env: options.env as Record<string, string>,
      encoding: null,
    });
    this.holdSlave();
    this.term.onData((data) => this.onData(data as unknown as Buffer));
    this.term.onExit(({ exitCode, signal }) => {
      this.closeSlave();
      options.onExit({ exitCode, signal: signal ? signal : null });
    });
  }

  get pid(): number {
    return this.term.pid;
  }

  /**
   * Types into the pty. node-pty queues every write through the libuv thread
   * pool, which adds a hop to each keystroke's round trip; when its queue is
   * empty we write directly (the fd is non-blocking) and hand it only what the
   * kernel would not take, so order is kept.
   */
  write(data: string | Buffer): void {
    const buffer = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const internals = this.term as unknown as NodePtyInternals;
    let written = 0;
    if (internals.fd !== undefined && internals._writeStream?._writeQueue?.length === 0) {
      try {
        written = fs.writeSync(internals.fd, buffer);
      } catch {
        // EAGAIN (kernel buffer full) or the like: node-pty's queue retries and reports.
      }
    }
    if (written < buffer.length) this.term.write(buffer.subarray(written) as unknown as string);
  }

  resize(cols: number, rows: number): void {
    try {
      this.term.resize(cols, rows);
    } catch {
      // The program has exited; nothing to resize.
    }
  }

  pause(): void {
    this.term.pause();
  }

  resume(): void {
    this.term.resume();
  }

  kill(signal: NodeJS.Signals): void {
    try {
      process.kill(this.term.pid, signal);
    } catch {
      // Already gone.
    }
  }

  private holdSlave(): void {
    const internals = this.term as unknown as NodePtyInternals;
    const socket = internals._socket;
    if (!socket || !internals.ptsName) return; // Not the node-pty we know: fall back to its own behaviour.
    try {
      this.slaveFd = fs.openSync(internals.ptsName, fs.constants.O_RDWR | fs.constants.O_NOCTTY);
    } catch {
      return;
    }
    const destroy = socket.destroy.bind(socket);
    socket.destroy = (...args: unknown[]) => {
      if (this.slaveFd === undefined || this.sentinel) return destroy(...args);
      this.releaseStream = () => destroy(...args);
      this.sentinel = Buffer.from(`\x1b]7777;superkick-drain-${crypto.randomBytes(8).toString('hex')}\x07`);
      fs.write(this.slaveFd, this.sentinel, () => undefined);
      return socket;
    };
  }

  private onData(data: Buffer): void {
    if (!this.sentinel) {
      this.options.onData(data);
      return;
    }
    // Draining: pass everything through except the sentinel, which may arrive split across reads.
    const joined = this.carry.length ? Buffer.concat([this.carry, data]) : data;
    const at = joined.indexOf(this.sentinel);
    if (at >= 0) {
      if (at > 0) this.options.onData(joined.subarray(0, at));
      this.carry = Buffer.alloc(0);
      this.closeSlave();
      const release = this.releaseStream;
      this.releaseStream = undefined;
      release?.();
      return;
    }
    const keep = Math.min(joined.length, this.sentinel.length - 1);
    const emit = joined.subarray(0, joined.length - keep);
    if (emit.length) this.options.onData(emit);
    this.carry = Buffer.from(joined.subarray(joined.length - keep));
  }

  private closeSlave(): void {
    if (this.slaveFd === undefined) return;
    const fd = this.slaveFd;
    this.slaveFd = undefined;
    try {
      fs.closeSync(fd);
    } catch {
      // Already closed.
    }
  }
}
