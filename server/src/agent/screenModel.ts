/**
 * The main thread's handle on the screen-model worker. Output is posted in
 * stream order; a snapshot request is answered after everything posted before
 * it has been parsed, so it shows the screen exactly at that point.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FromScreen, ScreenWorkerData, ToScreen } from './screenMessages';
import type { ScreenState } from '../drivers/profile';

export interface Snapshot { data: string; cols: number; rows: number; prepared: boolean }

/** Terminal modes the program has switched on, as of everything written so far. */
export interface ScreenModes { bracketedPaste: boolean }

/** Pause the program's output when the worker is this far behind, so memory stays bounded. */
const PAUSE_BACKLOG_BYTES = 4 * 1024 * 1024;
const RESUME_BACKLOG_BYTES = 1024 * 1024;
const YOUNG_GENERATION_MB = 8;

export class ScreenModel {
  private readonly worker: Worker;
  private backlog = 0;
  private nextRequest = 1;
  private readonly snapshots = new Map<number, (snapshot: Snapshot) => void>();
  private readonly modeRequests = new Map<number, (modes: ScreenModes) => void>();
  private paused = false;

  constructor(
    options: ScreenWorkerData,
    private readonly handlers: { reply: (data: string) => void; pause: () => void; resume: () => void; state?: (state: ScreenState) => void },
    /** The bundled worker, next to the bundle that runs this. */
    workerFile = path.join(__dirname, 'screenWorker.js'),
  ) {
    this.worker = new Worker(workerFile, {
      workerData: options,
      // V8 grows a worker's young generation to tens of MB under a flood of output; the parser does not need it.
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    this.worker.on('message', (message: FromScreen) => this.onMessage(message));
    this.worker.unref();
  }

  write(data: Buffer): void {
    this.backlog += data.length;
    this.post({ t: 'write', data });
    if (!this.paused && this.backlog > PAUSE_BACKLOG_BYTES) {
      this.paused = true;
      this.handlers.pause();
    }
  }

  resize(cols: number, rows: number): void {
    this.post({ t: 'resize', cols, rows });
  }

  /** Enter is about to be pressed on typed text (see the worker's `submitted`). */
  submitted(): void {
    this.post({ t: 'submitted' });
  }

  snapshot(scrollback: number): Promise<Snapshot> {
    const id = this.nextRequest++;
    return new Promise((resolve) => {
      this.snapshots.set(id, resolve);
      this.holdOpen();
      this.post({ t: 'snapshot', id, scrollback });
    });
  }

  modes(): Promise<ScreenModes> {
    const id = this.nextRequest++;
    return new Promise((resolve) => {
      this.modeRequests.set(id, resolve);
      this.holdOpen();
      this.post({ t: 'modes', id });
    });
  }

  /**
   * The worker is unref'd so that it never keeps a finished process alive;
   * while an answer is awaited it must, or a process with nothing else to do
   * would exit with the request unanswered.
   */
  private holdOpen(): void {
    this.worker.ref();
  }

  private releaseIfIdle(): void {
    if (this.snapshots.size === 0 && this.modeRequests.size === 0) this.worker.unref();
  }

  /** Lets the worker finish and exit by itself; terminates it only if it does not within a second. */
  async close(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.holdOpen();
    this.post({ t: 'close' });
    const timer = setTimeout(() => void this.worker.terminate(), 1_000);
    await exited;
    clearTimeout(timer);
  }

  private post(message: ToScreen): void {
    this.worker.postMessage(message);
  }

  private onMessage(message: FromScreen): void {
    switch (message.t) {
      case 'parsed':
        this.backlog -= message.bytes;
        if (this.paused && this.backlog < RESUME_BACKLOG_BYTES) {
          this.paused = false;
          this.handlers.resume();
        }
        break;
      case 'snapshot': {
        const resolve = this.snapshots.get(message.id);
        this.snapshots.delete(message.id);
        this.releaseIfIdle();
        resolve?.({ data: message.data, cols: message.cols, rows: message.rows, prepared: message.prepared });
        break;
      }
      case 'reply':
        this.handlers.reply(message.data);
        break;
      case 'state':
        this.handlers.state?.(message.state);
        break;
      case 'modes': {
        const resolve = this.modeRequests.get(message.id);
        this.modeRequests.delete(message.id);
        this.releaseIfIdle();
        resolve?.({ bracketedPaste: message.bracketedPaste });
        break;
      }
    }
  }
}
