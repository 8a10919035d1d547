/**
 * Serves attach on the agent's own socket. Any number of viewers; each gets a
 * snapshot of the screen and scrollback, then live output. The pty takes the
 * size of the viewer that was active last (tmux's `window-size latest`):
 * attaching, typing or resizing makes a viewer the active one.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import { Attach } from '../protocol';
import { safeEqual } from '../common/tokens';
import type { Logger } from '../common/logger';
import type { ScreenModel } from './screenModel';
import { Viewer } from './viewer';
import { dropTerminalReplies } from './terminalReplies';

const { FrameType } = Attach;

export interface AttachServerOptions {
  socketPath: string;
  token: string;
  screen: ScreenModel;
  /** Scrollback lines included in a snapshot. */
  scrollback: number;
  log: Logger;
  onInput: (data: string) => void;
  onResize: (cols: number, rows: number) => void;
  onViewersChanged: (count: number) => void;
}

export class AttachServer {
  private readonly server: net.Server;
  private readonly viewers = new Set<Viewer>();
  private size: { cols: number; rows: number } | undefined;
  private exit: Attach.ExitPayload | undefined;

  constructor(private readonly options: AttachServerOptions) {
    this.server = net.createServer((socket) => this.accept(socket));
    this.server.on('error', (error) => options.log.error('agent.attach', `server error: ${error.message}`));
  }

  async listen(): Promise<void> {
    fs.rmSync(this.options.socketPath, { force: true });
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.socketPath, () => resolve());
    });
    fs.chmodSync(this.options.socketPath, 0o600);
  }

  get viewerCount(): number {
    return [...this.viewers].filter((viewer) => viewer.phase !== 'handshake').length;
  }

  output(data: Buffer): void {
    for (const viewer of this.viewers) viewer.output(data);
  }

  /** Rings the bell on every attached viewer (a notifier wants a person); the program and the screen model never see it. */
  bell(): number {
    let rung = 0;
    for (const viewer of this.viewers) if (viewer.sendBell()) rung++;
    return rung;
  }

  /**
   * The program exited: tell every viewer, give them a while to take the rest
   * of the output, stop serving. A viewer that does not read cannot keep the
   * agent process alive.
   */
  async finish(payload: Attach.ExitPayload): Promise<void> {
    this.exit = payload;
    const viewers = [...this.viewers];
    const allFlushed = () => Promise.all(viewers.map((viewer) => viewer.flushed()));
    await withinGrace(allFlushed());
    for (const viewer of viewers) viewer.sendExit(payload);
    await withinGrace(allFlushed());
    for (const viewer of viewers) viewer.socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    fs.rmSync(this.options.socketPath, { force: true });
  }

  private accept(socket: net.Socket): void {
    const viewer = new Viewer(socket, (v) => void this.snapshotTo(v, 'resync'));
    this.viewers.add(viewer);
    const decoder = new Attach.FrameDecoder(Attach.MAX_VIEWER_FRAME_BYTES, Attach.VIEWER_FRAMES);
    const tag = `agent.attach#${viewer.id}`;
    viewer.onBehind = (queued) => this.options.log.debug(tag, `viewer fell behind with ${queued} bytes queued; it will be resynced`);
    socket.on('data', (chunk: Buffer) => {
      let frames: Attach.Frame[];
      try {
        frames = decoder.push(chunk);
      } catch (error) {
        this.options.log.error(tag, `closing viewer: ${(error as Error).message}`);
        socket.destroy();
        return;
      }
      for (const frame of frames) {
        try {
          this.onFrame(viewer, frame);
        } catch (error) {
          this.options.log.error(tag, `closing viewer: ${(error as Error).message}`);
          socket.destroy();
          return;
        }
      }
    });
    socket.on('error', (error) => this.options.log.debug(tag, `socket error: ${error.message}`));
    socket.on('close', () => {
      this.viewers.delete(viewer);
      viewer.phase = 'closed';
      this.applyLatestSize();
      this.options.onViewersChanged(this.viewerCount);
    });
  }

  private onFrame(viewer: Viewer, frame: Attach.Frame): void {
    if (viewer.phase === 'handshake') {
      if (frame.type !== FrameType.Hello) throw new Error('the first frame must be Hello');
      const hello = parseJson<Attach.HelloPayload>(frame.payload);
      if (typeof hello.token !== 'string' || !safeEqual(hello.token, this.options.token)) {
        this.options.log.warn(`agent.attach#${viewer.id}`, 'viewer sent a wrong token');
        viewer.sendError('wrong attach token');
        return;
      }
      if (this.exit) {
        viewer.phase = 'live';
        viewer.sendExit(this.exit);
        return;
      }
      viewer.readOnly = Boolean(hello.readOnly);
      // Hold output from here (snapshotTo starts holding again, at the same point), and size the screen first.
      viewer.beginSnapshot();
      this.setViewerSize(viewer, hello);
      viewer.lastActive = Date.now();
      this.applyLatestSize();
      void this.snapshotTo(viewer, 'attach');
      this.options.onViewersChanged(this.viewerCount);
      return;
    }
    switch (frame.type) {
      case FrameType.Input: {
        if (viewer.readOnly) return;
        const text = dropTerminalReplies(frame.payload.toString('utf8'));
        this.touch(viewer);
        if (text) this.options.onInput(text);
        break;
      }
      case FrameType.Resize:
        this.setViewerSize(viewer, parseJson<Attach.SizePayload>(frame.payload));
        this.touch(viewer);
        break;
      case FrameType.Detach:
        viewer.close();
        break;
      default:
        throw new Error(`unexpected frame ${frame.type} after Hello`);
    }
  }

  private async snapshotTo(viewer: Viewer, reason: Attach.SnapshotPayload['reason']): Promise<void> {
    if (viewer.phase === 'closed') return;
    const ticket = viewer.beginSnapshot();
    this.options.log.debug(`agent.attach#${viewer.id}`, `snapshot #${ticket} (${reason}) requested`);
    const snapshot = await this.options.screen.snapshot(this.options.scrollback);
    this.options.log.debug(`agent.attach#${viewer.id}`, `snapshot #${ticket} ready, viewer ${viewer.phase}`);
    viewer.sendSnapshot(ticket, Attach.encodeSnapshotFrame({ version: 1, cols: snapshot.cols, rows: snapshot.rows, reason }, snapshot.data));
  }

  private touch(viewer: Viewer): void {
    if (viewer.readOnly) return;
    viewer.lastActive = Date.now();
    this.applyLatestSize();
  }

  private setViewerSize(viewer: Viewer, size: Partial<Attach.SizePayload>): void {
    const cols = Number(size.cols);
    const rows = Number(size.rows);
    if (!Number.isInteger(cols) || !Number.isInteger(rows) || cols < 2 || rows < 1 || cols > 2000 || rows > 1000) {
      throw new Error(`invalid terminal size ${size.cols}x${size.rows}`);
    }
    viewer.cols = cols;
    viewer.rows = rows;
    this.applyLatestSize();
  }

  private applyLatestSize(): void {
    let latest: Viewer | undefined;
    for (const viewer of this.viewers) {
      if (viewer.readOnly || viewer.phase === 'handshake' || viewer.phase === 'closed') continue;
      if (!latest || viewer.lastActive >= latest.lastActive) latest = viewer;
    }
    if (!latest) return;
    if (this.size && this.size.cols === latest.cols && this.size.rows === latest.rows) return;
    this.size = { cols: latest.cols, rows: latest.rows };
    this.options.onResize(latest.cols, latest.rows);
  }
}

/** How long an exiting agent waits for its viewers to read the last output. */
const EXIT_FLUSH_GRACE_MS = 5_000;

function withinGrace(promise: Promise<unknown>): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, EXIT_FLUSH_GRACE_MS);
    void promise.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function parseJson<T>(payload: Buffer): T {
  const value = JSON.parse(payload.toString('utf8')) as unknown;
  if (!value || typeof value !== 'object') throw new Error('frame payload must be a JSON object');
  return value as T;
}
