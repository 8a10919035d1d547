/** What a viewer's terminal shows of an agent: plain text rows, whatever escape sequences drew them. */
import { Terminal } from '@xterm/headless';
import { Attach } from '../../server/src/protocol';
import type { TestViewer } from './testViewer';
import { whenEvent } from './waitFor';

function rowsOf(terminal: Terminal): string {
  const buffer = terminal.buffer.active;
  const lines: string[] = [];
  for (let y = 0; y < terminal.rows; y++) lines.push(buffer.getLine(buffer.baseY + y)?.translateToString(true) ?? '');
  return lines.join('\n');
}

/** A viewer's screen, drawn as its frames arrive, for waiting on what a person attached would see. */
export class ViewerScreen {
  private readonly terminal: Terminal;
  private drawnFrames = 0;
  private text = '';
  private readonly listeners = new Set<() => void>();
  private readonly unsubscribe: () => void;

  constructor(private readonly viewer: TestViewer, cols: number, rows: number) {
    this.terminal = new Terminal({ cols, rows, allowProposedApi: true, scrollback: 0 });
    this.unsubscribe = viewer.subscribe(() => this.draw());
    this.draw();
  }

  get current(): string {
    return this.text;
  }

  /** Resolves with the screen once it matches `pattern`. */
  until(pattern: RegExp | ((text: string) => boolean), what: string, ms?: number): Promise<string> {
    const matches = typeof pattern === 'function' ? pattern : (text: string) => pattern.test(text);
    return whenEvent(
      (listener) => {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
      },
      () => (matches(this.text) ? this.text : undefined),
      `the screen to show ${what}; it shows:\n${this.text}`,
      ms,
    );
  }

  close(): void {
    this.unsubscribe();
    this.terminal.dispose();
  }

  private draw(): void {
    const frames = this.viewer.frames.slice(this.drawnFrames);
    this.drawnFrames = this.viewer.frames.length;
    let data = '';
    for (const frame of frames) {
      if (frame.type === Attach.FrameType.Snapshot) {
        // A full reset in the stream itself, so it is ordered after any earlier write still queued.
        data = `\x1bc${Attach.decodeSnapshot(frame.payload).data}`;
      } else if (frame.type === Attach.FrameType.Output) data += frame.payload.toString('utf8');
    }
    if (!data) return;
    this.terminal.write(data, () => {
      this.text = rowsOf(this.terminal);
      for (const listener of [...this.listeners]) listener();
    });
  }
}
