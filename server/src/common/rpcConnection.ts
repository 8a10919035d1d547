/**
 * JSON-RPC (vscode-jsonrpc, LSP framing) over a socket, with a size guard in
 * front of the reader: vscode-jsonrpc would buffer a frame of any announced
 * length, so a broken or hostile peer could make us hold gigabytes.
 */
import type { Socket } from 'node:net';
import { Transform, type TransformCallback } from 'node:stream';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';

export const MAX_RPC_MESSAGE_BYTES = 32 * 1024 * 1024;
const MAX_HEADER_BYTES = 8 * 1024;
const HEADER_END = Buffer.from('\r\n\r\n');

/** Passes LSP-framed bytes through unchanged; errors on a malformed header or an oversized body. */
export class RpcFrameGuard extends Transform {
  private header = Buffer.alloc(0);
  private bodyLeft = 0;

  constructor(private readonly maxBytes = MAX_RPC_MESSAGE_BYTES) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    try {
      this.inspect(chunk);
    } catch (error) {
      done(error as Error);
      return;
    }
    done(null, chunk);
  }

  private inspect(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.bodyLeft > 0) {
        const take = Math.min(this.bodyLeft, chunk.length - offset);
        this.bodyLeft -= take;
        offset += take;
        continue;
      }
      this.header = Buffer.concat([this.header, chunk.subarray(offset)]);
      const end = this.header.indexOf(HEADER_END);
      if (end < 0) {
        if (this.header.length > MAX_HEADER_BYTES) throw new Error('message header too long');
        return;
      }
      const headerText = this.header.subarray(0, end).toString('ascii');
      const match = /^content-length:\s*(\d+)\s*$/im.exec(headerText);
      if (!match) throw new Error(`malformed message header ${JSON.stringify(headerText.slice(0, 80))}`);
      const length = Number(match[1]);
      if (length > this.maxBytes) throw new Error(`message of ${length} bytes exceeds the limit of ${this.maxBytes}`);
      const consumedFromChunk = end + HEADER_END.length - (this.header.length - (chunk.length - offset));
      offset += consumedFromChunk;
      this.header = Buffer.alloc(0);
      this.bodyLeft = length;
    }
  }
}

export interface RpcConnectionOptions {
  /** Called once when the peer sent something that is not a valid frame; the socket is then destroyed. */
  onProtocolError?: (error: Error) => void;
  guard?: boolean;
}

export function rpcOverSocket(socket: Socket, options: RpcConnectionOptions = {}): MessageConnection {
  let source: NodeJS.ReadableStream = socket;
  if (options.guard !== false) {
    const guard = new RpcFrameGuard();
    guard.on('error', (error) => {
      options.onProtocolError?.(error);
      socket.destroy();
    });
    socket.pipe(guard);
    source = guard;
  }
  const reader = new StreamMessageReader(source as never);
  const writer = new StreamMessageWriter(socket);
  const connection = createMessageConnection(reader, writer);
  reader.onError((error) => {
    options.onProtocolError?.(error);
    socket.destroy();
  });
  return connection;
}
