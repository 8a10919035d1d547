/**
 * One attached viewer, seen from the agent process. Output is batched into
 * one socket write per tick (a lone keystroke's echo goes out on the same
 * tick it arrived). A viewer that stops reading never holds anyone up: once
 * more than VIEWER_BUFFER_LIMIT bytes wait in its socket, its pending output
 * is dropped and, when it reads again, it gets a fresh snapshot instead.
 * (The check is made before each batch, so one batch may exceed the limit:
 * memory per viewer stays under the limit plus one tick of output.)
 */
import type { Socket } from 'node:net';
import { Attach } from '../protocol';

const { FrameType, FRAME_HEADER_BYTES } = Attach;

/** About 100k characters, as VS Code's pty host allows before it pauses. */
export const VIEWER_BUFFER_LIMIT = 100_000;

export type ViewerPhase = 'handshake' | 'awaitingSnapshot' | 'live' | 'behind' | 'closed';

let nextViewerId = 1;

export class Viewer {
  readonly id = nextViewerId++;
  phase: ViewerPhase = 'handshake';
  cols = 80;
  rows = 24;
  readOnly = false;
  /** When this viewer last attached, typed or resized; the latest one sets the size. */
  lastActive = 0;
  private batch: Buffer[] = [];
  private batchBytes = 0;
  private flushScheduled = false;
  /** Output that arrived while a snapshot was being made; sent right after it. */
  private held: Buffer[] = [];
  private heldBytes = 0;
  resyncs = 0;

  constructor(readonly socket: Socket, private readonly requestResync: (viewer: Viewer) => void) {
    socket.on('drain', () => {
      if (this.phase === 'behind') this.requestResync(this);
    });
  }

  /** Output from the program. */
  output(data: Buffer): void {
    switch (this.phase) {
      case 'live':
        this.batch.push(data);
        this.batchBytes += data.length;
        if (!this.flushScheduled) {
          this.flushScheduled = true;
          setImmediate(() => this.flush());
        }
        break;
      case 'awaitingSnapshot':
        this.held.push(data);
        this.heldBytes += data.length;
        if (this.heldBytes > VIEWER_BUFFER_LIMIT * 8) this.fallBehind();
        break;
      default:
        break; // 'behind' or not attached yet: the next snapshot covers it.
    }
  }

  /** The snapshot was requested: hold output from this point on. */
  beginSnapshot(): void {
    this.phase = 'awaitingSnapshot';
    this.held = [];
    this.heldBytes = 0;
  }

  /** Returns false when output overflowed while the snapshot was made (ask for another). */
  sendSnapshot(payload: Attach.SnapshotPayload): boolean {
    if (this.phase !== 'awaitingSnapshot') return this.phase !== 'behind';
    this.send(Attach.encodeJsonFrame(FrameType.Snapshot, payload));
    this.phase = 'live';
    const held = this.held;
    this.held = [];
    this.heldBytes = 0;
    for (const chunk of held) this.output(chunk);
    return true;
  }

  sendExit(payload: Attach.ExitPayload): void {
    this.flush();
    this.send(Attach.encodeJsonFrame(FrameType.Exit, payload));
    this.close();
  }

  sendError(message: string): void {
    this.send(Attach.encodeJsonFrame(FrameType.Error, { message }));
    this.close();
  }

  close(): void {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    this.socket.end();
  }

  /** Resolves when everything written so far has left this process. */
  flushed(): Promise<void> {
    this.flush();
    if (this.socket.destroyed || this.socket.writableLength === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('drain', resolve);
      this.socket.once('close', resolve);
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    if (!this.batchBytes || this.phase !== 'live') {
      this.batch = [];
      this.batchBytes = 0;
      return;
    }
    // Still holding more than the limit from earlier batches: this viewer is not keeping up.
    if (this.socket.writableLength > VIEWER_BUFFER_LIMIT) {
      this.fallBehind();
      return;
    }
    const header = Buffer.allocUnsafe(FRAME_HEADER_BYTES);
    header.writeUInt8(FrameType.Output, 0);
    header.writeUInt32BE(this.batchBytes, 1);
    this.socket.cork();
    this.socket.write(header);
    for (const chunk of this.batch) this.socket.write(chunk);
    this.socket.uncork();
    this.batch = [];
    this.batchBytes = 0;
  }

  private fallBehind(): void {
    this.phase = 'behind';
    this.held = [];
    this.heldBytes = 0;
    this.batch = [];
    this.batchBytes = 0;
    this.resyncs++;
    // Already drained (the overflow was while snapshotting)? Resync at once.
    if (this.socket.writableLength === 0) setImmediate(() => this.requestResync(this));
  }

  private send(frame: Buffer): void {
    if (this.phase === 'closed' || this.socket.destroyed) return;
    this.socket.write(frame);
  }
}
