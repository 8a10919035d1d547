/**
 * An agent as a VS Code terminal: a Pseudoterminal that speaks the attach
 * protocol on the agent's own socket. The exact current screen arrives as the
 * first frame (a snapshot), then the program's output as it comes; typing and
 * resizing flow back. Closing the terminal detaches: the agent keeps running.
 */
import * as net from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import * as vscode from 'vscode';
import * as Attach from '../../server/src/protocol/attach';

const { FrameType } = Attach;
/** Clears the terminal before a snapshot redraws it. */
const RESET = '\x1bc';

export interface AgentTerminalTarget {
  id: string;
  name: string;
  attachSocket: string;
  token: string;
}

export class AgentPseudoterminal implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  private socket: net.Socket | undefined;
  private readonly decoder = new Attach.FrameDecoder(Attach.MAX_AGENT_FRAME_BYTES, Attach.AGENT_FRAMES);
  private readonly text = new StringDecoder('utf8');
  private size = { cols: 80, rows: 24 };
  private closed = false;
  /** Set once the view has ended (the agent exited, the link broke): the next key closes the terminal. */
  private ended: { exitCode: number | undefined } | undefined;

  constructor(private readonly target: AgentTerminalTarget) {}

  open(dimensions: vscode.TerminalDimensions | undefined): void {
    if (dimensions) this.size = { cols: dimensions.columns, rows: dimensions.rows };
    const socket = net.createConnection(this.target.attachSocket);
    this.socket = socket;
    // Written before anything else can be: VS Code calls setDimensions right after open, and a
    // connecting socket queues writes, so a Hello sent on 'connect' would follow that Resize.
    socket.write(Attach.encodeJsonFrame(FrameType.Hello, { token: this.target.token, ...this.size } satisfies Attach.HelloPayload));
    socket.on('data', (chunk: Buffer) => {
      let frames: Attach.Frame[];
      try {
        frames = this.decoder.push(chunk);
      } catch (error) {
        this.end(`\r\n[superkick: ${(error as Error).message}]\r\n`);
        return;
      }
      for (const frame of frames) this.onFrame(frame);
    });
    socket.on('error', (error) => this.end(`\r\n[superkick: cannot reach agent ${this.target.id}: ${error.message}]\r\n`));
    socket.on('close', () => this.end(`\r\n[superkick: the connection to agent ${this.target.id} closed]\r\n`));
  }

  handleInput(data: string): void {
    if (this.ended) {
      this.closeEmitter.fire(this.ended.exitCode);
      return;
    }
    this.send(FrameType.Input, Buffer.from(data, 'utf8'));
  }

  setDimensions(dimensions: vscode.TerminalDimensions): void {
    this.size = { cols: dimensions.columns, rows: dimensions.rows };
    this.send(FrameType.Resize, JSON.stringify(this.size));
  }

  /** The terminal was closed by the user: detach, the agent goes on. */
  close(): void {
    this.closed = true;
    this.send(FrameType.Detach, Buffer.alloc(0));
    this.socket?.end();
  }

  private onFrame(frame: Attach.Frame): void {
    switch (frame.type) {
      case FrameType.Snapshot:
        this.writeEmitter.fire(RESET + Attach.decodeSnapshot(frame.payload).data);
        break;
      case FrameType.Output:
        this.writeEmitter.fire(this.text.write(frame.payload));
        break;
      case FrameType.Bell:
        this.writeEmitter.fire('\x07');
        break;
      case FrameType.Exit: {
        const exit = JSON.parse(frame.payload.toString('utf8')) as Attach.ExitPayload;
        this.end(`\r\n[superkick: ${this.target.name} exited${exit.exitCode === null ? '' : ` with code ${exit.exitCode}`}]\r\n`, exit.exitCode ?? undefined);
        break;
      }
      case FrameType.Error:
        this.end(`\r\n[superkick: ${(JSON.parse(frame.payload.toString('utf8')) as Attach.ErrorPayload).message}]\r\n`);
        break;
    }
  }

  private send(type: Attach.FrameType, payload: Buffer | string): void {
    if (this.socket && !this.socket.destroyed && this.socket.writable) this.socket.write(Attach.encodeFrame(type, payload));
  }

  /** Shows why the view ended and keeps the terminal open to read; any key closes it. */
  private end(message: string, exitCode?: number): void {
    if (this.closed || this.ended) return;
    this.ended = { exitCode };
    this.writeEmitter.fire(`${message}[press any key to close this terminal]\r\n`);
    this.socket?.destroy();
  }
}
