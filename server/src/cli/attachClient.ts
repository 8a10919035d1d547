/**
 * A terminal attached to an agent: raw mode in, the agent's screen out. Used by
 * `superkick attach` and by the foreground `superkick agent`.
 */
import * as net from 'node:net';
import { Attach } from '../protocol';
import { findDetach } from './detachKey';
import { BEL, BellGuard } from './bellGuard';

const { FrameType } = Attach;

export type AttachOutcome =
  | { kind: 'detached'; why: 'key' | 'hangup' }
  | { kind: 'exited'; exitCode: number | null; signal: number | null }
  | { kind: 'error'; message: string };

export interface AttachOptions {
  socketPath: string;
  token: string;
  detachKeys: Buffer[];
  readOnly?: boolean;
  input?: NodeJS.ReadStream;
  output?: NodeJS.WriteStream;
}

/** Clears the viewer's terminal before a snapshot redraws it. */
const RESET = '\x1bc';
/** Undo what the program may have switched on, so the user's shell is usable after detaching. */
const RESTORE = '\x1b[?1049l\x1b[0m\x1b[?25h\x1b[?1l\x1b>\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?1004l\x1b[?2004l\x1b[<u';

export function attachTerminal(options: AttachOptions): Promise<AttachOutcome> {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  return new Promise((resolve) => {
    const socket = net.createConnection(options.socketPath);
    const decoder = new Attach.FrameDecoder(Attach.MAX_AGENT_FRAME_BYTES, Attach.AGENT_FRAMES);
    let done = false;
    let drewSomething = false;
    const bell = new BellGuard();
    const wasRaw = input.isTTY ? input.isRaw : false;

    const size = () => ({ cols: output.columns || 80, rows: output.rows || 24 });
    const send = (type: Attach.FrameType, payload: Buffer | string) => {
      if (!socket.destroyed) socket.write(Attach.encodeFrame(type, payload));
    };

    const finish = (outcome: AttachOutcome) => {
      if (done) return;
      done = true;
      input.off('data', onInput);
      process.off('SIGWINCH', onResize);
      process.off('SIGHUP', onHangup);
      if (input.isTTY) input.setRawMode(wasRaw);
      input.pause();
      if (drewSomething && output.isTTY) output.write(RESTORE);
      socket.end();
      resolve(outcome);
    };

    const onInput = (data: Buffer) => {
      const at = findDetach(data, options.detachKeys);
      if (at >= 0) {
        if (at > 0) send(FrameType.Input, data.subarray(0, at));
        send(FrameType.Detach, '');
        finish({ kind: 'detached', why: 'key' });
        return;
      }
      send(FrameType.Input, data);
    };
    const onResize = () => send(FrameType.Resize, JSON.stringify(size()));
    const onHangup = () => {
      send(FrameType.Detach, '');
      finish({ kind: 'detached', why: 'hangup' });
    };

    socket.on('connect', () => {
      send(FrameType.Hello, JSON.stringify({ token: options.token, ...size(), readOnly: Boolean(options.readOnly) }));
      if (input.isTTY) input.setRawMode(true);
      input.on('data', onInput);
      input.resume();
      process.on('SIGWINCH', onResize);
      process.on('SIGHUP', onHangup);
    });
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const frame of decoder.push(chunk)) if (handleFrame(frame)) return;
      } catch (error) {
        finish({ kind: 'error', message: `bad data from the agent: ${(error as Error).message}` });
      }
    });
    socket.on('error', (error) => finish({ kind: 'error', message: `cannot reach the agent: ${error.message}` }));
    socket.on('close', () => finish({ kind: 'error', message: 'the agent closed the connection' }));

    /** Shows one frame; true when it ended the session. */
    function handleFrame(frame: Attach.Frame): boolean {
      switch (frame.type) {
        case FrameType.Snapshot:
          drewSomething = true;
          write(RESET + Attach.decodeSnapshot(frame.payload).data);
          if (bell.redrawn()) write(BEL);
          return false;
        case FrameType.Output:
          drewSomething = true;
          write(frame.payload);
          if (bell.output(frame.payload)) write(BEL);
          return false;
        case FrameType.Bell:
          if (bell.ring()) write(BEL);
          return false;
        case FrameType.Exit: {
          const exit = JSON.parse(frame.payload.toString('utf8')) as Attach.ExitPayload;
          finish({ kind: 'exited', exitCode: exit.exitCode, signal: exit.signal });
          return true;
        }
        case FrameType.Error: {
          const error = JSON.parse(frame.payload.toString('utf8')) as Attach.ErrorPayload;
          finish({ kind: 'error', message: error.message });
          return true;
        }
        default:
          return false;
      }
    }

    function write(data: Buffer | string) {
      // A slow terminal pushes back on the agent, which then resyncs us with a snapshot.
      if (!output.write(data)) {
        socket.pause();
        output.once('drain', () => socket.resume());
      }
    }
  });
}
