/**
 * One attached viewer, seen from the agent process.
 *
 * Output: the first chunk after a quiet moment is written at once (a lone
 * keystroke's echo is never held back); chunks that follow within the same
 * tick are batched into one socket write.
 *
 * Flow control: a viewer that stops reading never holds anyone up. When more
 * than VIEWER_BUFFER_LIMIT bytes wait in its socket, its output is dropped
 * and, once it has read what was queued, it gets a fresh snapshot instead.
 * Right after a snapshot the viewer is owed a burst (the snapshot and the
 * output held while it was made); that burst is allowed on top of the limit
 * while it drains, so a viewer that reads keeps up instead of falling behind
 * again at once. Memory per viewer stays below the limit plus one burst.
 */
import type { Socket } from 'node:net';
import { Attach } from '../protocol';

const { FrameType, FRAME_HEADER_BYTES } = Attach;

/** About 100k characters, as VS Code's pty host allows before it pauses. */
export const VIEWER_BUFFER_LIMIT = 100_000;

/** See `output()`: the screen model's own bound keeps held output far below this. */
const HELD_BACKSTOP_BYTES = 64 * 1024 * 1024;

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
  /** Told when the viewer falls behind (for the log). */
  onBehind?: (queuedBytes: number) => void;

  private batch: Buffer[] = [];
  private batchBytes = 0;
  private flushScheduled = false;
  /** Output that arrived while a snapshot was being made; sent right after it. */
  private held: Buffer[] = [];
  private heldBytes = 0;
  private resyncRequested = false;
  private snapshotTicket = 0;
  /** Bytes of the last snapshot burst still allowed in the socket on top of the limit. */
  private burstAllowance = 0;

  constructor(readonly socket: Socket, private readonly requestResync: (viewer: Viewer) => void) {
    socket.on('drain', () => this.maybeResync());
  }

  /** Output from the program. */
  output(data: Buffer): void {
    switch (this.phase) {
      case 'live':
        if (!this.flushScheduled) {
          // Quiet until now: send this chunk at once, and batch whatever follows in this tick.
          this.flushScheduled = true;
          setImmediate(() => this.flush());
          this.writeOutput([data], data.length);
          return;
        }
        this.batch.push(data);
        this.batchBytes += data.length;
        break;
      case 'awaitingSnapshot':
        this.held.push(data);
        this.heldBytes += data.length;
        // Held output is bounded by the screen model's backlog (the program is paused past it); this is only a backstop.
        if (this.heldBytes > HELD_BACKSTOP_BYTES) this.fallBehind();
        break;
      case 'behind':
        this.maybeResync();
        break;
      default:
        break; // Not attached yet: the attach snapshot covers it.
    }
  }

  /** A snapshot is being made: hold output from this point on. Returns the ticket to send it with. */
  beginSnapshot(): number {
    this.phase = 'awaitingSnapshot';
    this.resyncRequested = false;
    this.held = [];
    this.heldBytes = 0;
    return ++this.snapshotTicket;
  }

  /**
   * Sends the snapshot made for `ticket`, then the output held while it was
   * made. A stale one (the viewer fell behind again meanwhile, and a newer one
   * is on its way) is dropped: the held output starts where the newer one was taken.
   */
  sendSnapshot(ticket: number, frame: Buffer): void {
    if (this.phase !== 'awaitingSnapshot' || ticket !== this.snapshotTicket) return;
    this.send(frame);
    this.phase = 'live';
    if (this.heldBytes) this.writeOutput(this.held, this.heldBytes);
    this.held = [];
    this.heldBytes = 0;
    this.burstAllowance = this.socket.writableLength;
  }

  /**
   * A Bell frame, after the output batched so far. A viewer still waiting
   * for its snapshot gets it too: the bell is about now, not about the screen.
   */
  sendBell(): boolean {
    if (this.phase === 'handshake' || this.phase === 'closed' || this.socket.destroyed) return false;
    if (this.phase === 'live') this.flush();
    this.send(Attach.encodeFrame(FrameType.Bell, Buffer.alloc(0)));
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
      this.socket.once('finish', resolve);
      this.socket.once('close', resolve);
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.batch;
    const bytes = this.batchBytes;
    this.batch = [];
    this.batchBytes = 0;
    if (bytes && this.phase === 'live') this.writeOutput(batch, bytes);
  }

  private writeOutput(chunks: Buffer[], bytes: number): void {
    const queued = this.socket.writableLength;
    this.burstAllowance = Math.min(this.burstAllowance, queued);
    if (queued > this.burstAllowance + VIEWER_BUFFER_LIMIT) {
      this.fallBehind();
      return;
    }
    const header = Buffer.allocUnsafe(FRAME_HEADER_BYTES);
    header.writeUInt8(FrameType.Output, 0);
    header.writeUInt32BE(bytes, 1);
    this.socket.cork();
    this.socket.write(header);
    for (const chunk of chunks) this.socket.write(chunk);
    this.socket.uncork();
  }

  private fallBehind(): void {
    this.onBehind?.(this.socket.writableLength);
    this.phase = 'behind';
    this.held = [];
    this.heldBytes = 0;
    this.batch = [];
    this.batchBytes = 0;
    this.burstAllowance = 0;
    this.resyncRequested = false;
    this.maybeResync();
  }

  /**
   * Once a viewer that fell behind has taken what was queued for it, it gets a
   * fresh snapshot. Checked on 'drain' and on every output while behind, since
   * 'drain' only fires after a write that was refused.
   */
  private maybeResync(): void {
    if (this.phase !== 'behind' || this.resyncRequested) return;
    if (this.socket.writableLength > this.socket.writableHighWaterMark) return;
    this.resyncRequested = true;
    this.requestResync(this);
  }

  private send(frame: Buffer): void {
    if (this.phase === 'closed' || this.socket.destroyed) return;
    this.socket.write(frame);
  }
}
