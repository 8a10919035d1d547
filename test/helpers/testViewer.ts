/** A viewer speaking the attach protocol directly, so tests can see frames and stop reading at will. */
import * as net from 'node:net';
import { Attach } from '../../server/src/protocol';
import { whenEvent } from './waitFor';
import { connectSocket } from './hostConnection';

const { FrameType } = Attach;

export class TestViewer {
  readonly frames: Attach.Frame[] = [];
  private chunks: Buffer[] = [];
  /** Output bytes received (cheap; `output` joins them). */
  outputBytes = 0;
  exit: Attach.ExitPayload | undefined;
  error: string | undefined;
  closed = false;
  private readonly listeners = new Set<() => void>();
  private readonly decoder = new Attach.FrameDecoder(Attach.MAX_AGENT_FRAME_BYTES, Attach.AGENT_FRAMES);

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      for (const frame of this.decoder.push(chunk)) {
        this.frames.push(frame);
        if (frame.type === FrameType.Snapshot) {
          const data = Attach.decodeSnapshot(frame.payload).data;
          for (const text of this.wanted) if (data.includes(text)) this.seen.add(text);
          this.tail = Buffer.alloc(0);
        }
        if (frame.type === FrameType.Output) {
          this.chunks.push(frame.payload);
          this.outputBytes += frame.payload.length;
          const window = Buffer.concat([this.tail, frame.payload]);
          for (const text of this.wanted) if (window.includes(text)) this.seen.add(text);
          this.tail = window.subarray(-4096);
        }
        if (frame.type === FrameType.Exit) this.exit = JSON.parse(frame.payload.toString()) as Attach.ExitPayload;
        if (frame.type === FrameType.Error) this.error = (JSON.parse(frame.payload.toString()) as Attach.ErrorPayload).message;
      }
      this.notify();
    });
    socket.on('close', () => {
      this.closed = true;
      this.notify();
    });
    socket.on('error', () => undefined);
  }

  /** The last few KB of output, and texts looked for in each frame as it arrives (no quadratic rescans). */
  private tail = Buffer.alloc(0);
  private readonly wanted = new Set<string>();
  private readonly seen = new Set<string>();

  get output(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  static async connect(socketPath: string, token: string, size = { cols: 80, rows: 24 }, readOnly = false): Promise<TestViewer> {
    const socket = await connectSocket(socketPath);
    const viewer = new TestViewer(socket);
    viewer.send(FrameType.Hello, JSON.stringify({ token, ...size, readOnly }));
    return viewer;
  }

  send(type: Attach.FrameType, payload: Buffer | string): void {
    this.socket.write(Attach.encodeFrame(type, payload));
  }

  type(text: string): void {
    this.send(FrameType.Input, text);
  }

  snapshots(): Attach.SnapshotPayload[] {
    return this.frames.filter((f) => f.type === FrameType.Snapshot).map((f) => Attach.decodeSnapshot(f.payload));
  }

  /** Everything this viewer would have drawn: the latest snapshot and the output after it. */
  drawn(): string {
    let text = '';
    for (const frame of this.frames) {
      if (frame.type === FrameType.Snapshot) text = Attach.decodeSnapshot(frame.payload).data;
      if (frame.type === FrameType.Output) text += frame.payload.toString('utf8');
    }
    return text;
  }

  /** Calls `listener` after each batch of frames; returns the unsubscribe. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  until<T>(check: () => T | undefined, what: string): Promise<T> {
    return whenEvent(
      (listener) => {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
      },
      check,
      what,
    );
  }

  /** Waits until the text has been shown to this viewer, in live output or in a (resync) snapshot. */
  untilOutput(text: string): Promise<void> {
    if (this.drawn().includes(text)) return Promise.resolve();
    this.wanted.add(text);
    return this.until(() => (this.seen.has(text) ? true : undefined), `viewer output to include ${JSON.stringify(text)}`).then(() => undefined);
  }

  untilExit(): Promise<Attach.ExitPayload> {
    return this.until(() => this.exit, 'the Exit frame');
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  close(): void {
    this.socket.destroy();
  }
}
