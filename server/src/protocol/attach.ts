/**
 * The attach protocol, spoken on each agent's own socket
 * (`$SUPERKICK_DIR/run/agents/<id>.sock`). Binary frames, not JSON-RPC, so that
 * output bytes are relayed without re-encoding:
 *
 *   [type: u8][length: u32 big-endian][payload: length bytes]
 *
 * The viewer sends Hello first; the agent answers with Snapshot, then Output
 * frames. A viewer whose socket falls behind gets a fresh Snapshot instead of
 * the bytes it missed.
 */

export enum FrameType {
  /** Viewer → agent. JSON {@link HelloPayload}. */
  Hello = 1,
  /** Viewer → agent. Raw bytes typed by the viewer. */
  Input = 2,
  /** Viewer → agent. JSON {@link SizePayload}. */
  Resize = 3,
  /** Viewer → agent. The viewer leaves; the agent goes on. Empty payload. */
  Detach = 4,
  /** Agent → viewer. {@link encodeSnapshotFrame}: metadata, then the screen. Replaces everything the viewer shows. */
  Snapshot = 16,
  /** Agent → viewer. Raw output bytes of the program. */
  Output = 17,
  /** Agent → viewer. JSON {@link ExitPayload}; the agent closes the socket after it. */
  Exit = 18,
  /** Agent → viewer. JSON {@link ErrorPayload}; the agent closes the socket after it. */
  Error = 19,
  /**
   * Agent → viewer. Empty payload. Ring the terminal bell: a notifier wants a person's attention.
   * Not program output: a viewer writes BEL to its own terminal where that is safe (never inside an
   * escape sequence the program's output left open), or shows it its own way.
   */
  Bell = 20,
}

export interface HelloPayload {
  token: string;
  cols: number;
  rows: number;
  /** A read-only viewer never sets the size and its input is ignored. */
  readOnly?: boolean;
}

export interface SizePayload { cols: number; rows: number; }

export interface SnapshotMeta {
  /** Format version of the screen data; bump when the serializer's output changes meaning. */
  version: 1;
  cols: number;
  rows: number;
  /** Why this snapshot was sent. */
  reason: 'attach' | 'resync';
}

export interface SnapshotPayload extends SnapshotMeta {
  /** Escape sequences that redraw scrollback, screen, cursor and modes on a reset terminal. */
  data: string;
}

export interface ExitPayload { exitCode: number | null; signal: number | null; }

export interface ErrorPayload { message: string; }

export const FRAME_HEADER_BYTES = 5;
/** Largest frame a viewer may send; anything larger is a broken or hostile peer. */
export const MAX_VIEWER_FRAME_BYTES = 1 << 20;
/** Largest frame an agent sends (a snapshot of 10,000 wide coloured lines fits easily). */
export const MAX_AGENT_FRAME_BYTES = 64 << 20;

export function encodeFrame(type: FrameType, payload: Buffer | string): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + body.length);
  frame.writeUInt8(type, 0);
  frame.writeUInt32BE(body.length, 1);
  body.copy(frame, FRAME_HEADER_BYTES);
  return frame;
}

export function encodeJsonFrame(type: FrameType, payload: object): Buffer {
  return encodeFrame(type, JSON.stringify(payload));
}

export interface Frame { type: FrameType; payload: Buffer; }

/**
 * A Snapshot frame's payload is `[meta length: u32][meta JSON][screen data, UTF-8]`:
 * the screen is full of escape bytes, which JSON would spell six times longer.
 */
export function encodeSnapshotFrame(meta: SnapshotMeta, data: string): Buffer {
  const metaBytes = Buffer.from(JSON.stringify(meta), 'utf8');
  const dataBytes = Buffer.from(data, 'utf8');
  const payload = Buffer.allocUnsafe(4 + metaBytes.length + dataBytes.length);
  payload.writeUInt32BE(metaBytes.length, 0);
  metaBytes.copy(payload, 4);
  dataBytes.copy(payload, 4 + metaBytes.length);
  return encodeFrame(FrameType.Snapshot, payload);
}

export function decodeSnapshot(payload: Buffer): SnapshotPayload {
  const metaLength = payload.readUInt32BE(0);
  if (4 + metaLength > payload.length) throw new Error('snapshot metadata runs past the frame');
  const meta = JSON.parse(payload.subarray(4, 4 + metaLength).toString('utf8')) as SnapshotMeta;
  return { ...meta, data: payload.subarray(4 + metaLength).toString('utf8') };
}

/**
 * Splits a byte stream into frames. Throws on a frame larger than `maxBytes`
 * or an unknown type, so the caller can close the connection.
 */
export class FrameDecoder {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Bytes needed before the next frame can be cut: joining chunks earlier would copy a large frame once per read. */
  private needed = FRAME_HEADER_BYTES;

  constructor(private readonly maxBytes: number, private readonly accepted: ReadonlySet<FrameType>) {}

  push(chunk: Buffer): Frame[] {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes < this.needed) return [];
    const buffer = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes);
    const frames: Frame[] = [];
    let offset = 0;
    this.needed = FRAME_HEADER_BYTES;
    while (buffer.length - offset >= FRAME_HEADER_BYTES) {
      const type = buffer.readUInt8(offset) as FrameType;
      const length = buffer.readUInt32BE(offset + 1);
      if (!this.accepted.has(type)) throw new Error(`unknown attach frame type ${type}`);
      if (length > this.maxBytes) throw new Error(`attach frame of ${length} bytes exceeds the limit of ${this.maxBytes}`);
      if (buffer.length - offset < FRAME_HEADER_BYTES + length) {
        this.needed = FRAME_HEADER_BYTES + length;
        break;
      }
      const start = offset + FRAME_HEADER_BYTES;
      frames.push({ type, payload: buffer.subarray(start, start + length) });
      offset = start + length;
    }
    const rest = buffer.subarray(offset);
    this.pending = rest.length ? [rest] : [];
    this.pendingBytes = rest.length;
    return frames;
  }
}

export const VIEWER_FRAMES: ReadonlySet<FrameType> = new Set([FrameType.Hello, FrameType.Input, FrameType.Resize, FrameType.Detach]);
export const AGENT_FRAMES: ReadonlySet<FrameType> = new Set([FrameType.Snapshot, FrameType.Output, FrameType.Exit, FrameType.Error, FrameType.Bell]);
