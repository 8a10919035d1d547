/**
 * A real terminal for tests: a node-pty running a command (usually the
 * superkick CLI), with a headless xterm showing what a person would see.
 */
import * as pty from 'node-pty';
import { Terminal as Xterm } from '@xterm/headless';
import { SerializeAddon } from '@xterm/addon-serialize';
import { whenEvent, deadline } from './waitFor';

export class TestTerminal {
  readonly pty: pty.IPty;
  readonly screen: Xterm;
  private readonly serializer = new SerializeAddon();
  private readonly listeners = new Set<() => void>();
  private raw = '';
  exitCode: number | undefined;
  private readonly exited: Promise<number>;

  constructor(file: string, args: string[], options: { env: NodeJS.ProcessEnv; cwd: string; cols?: number; rows?: number; answerQueries?: boolean }) {
    const cols = options.cols ?? 80;
    const rows = options.rows ?? 24;
    this.screen = new Xterm({ cols, rows, scrollback: 1000, allowProposedApi: true });
    this.screen.loadAddon(this.serializer as never);
    this.pty = pty.spawn(file, args, { name: 'xterm-256color', cols, rows, cwd: options.cwd, env: options.env as Record<string, string> });
    // A real terminal answers queries (device attributes, cursor position) by typing the answer.
    if (options.answerQueries) this.screen.onData((answer) => this.pty.write(answer));
    this.pty.onData((data) => {
      this.raw += data;
      this.screen.write(data, () => this.notify());
    });
    this.exited = new Promise((resolve) =>
      this.pty.onExit(({ exitCode }) => {
        this.exitCode = exitCode;
        // Let the screen finish parsing before anyone looks at it.
        this.screen.write('', () => {
          this.notify();
          resolve(exitCode);
        });
      }),
    );
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Visible text, one string per row, trailing spaces trimmed. */
  text(): string {
    const buffer = this.screen.buffer.active;
    const lines: string[] = [];
    for (let y = 0; y < buffer.length; y++) lines.push(buffer.getLine(y)?.translateToString(true) ?? '');
    return lines.join('\n');
  }

  output(): string {
    return this.raw;
  }

  serialize(): string {
    return this.serializer.serialize();
  }

  type(text: string): void {
    this.pty.write(text);
  }

  waitForText(pattern: string | RegExp, what = `the screen to show ${pattern}`): Promise<string> {
    const matches = (text: string) => (typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text));
    return whenEvent(this.subscribe, () => (matches(this.text()) ? this.text() : undefined), what);
  }

  waitForOutput(pattern: string | RegExp, what = `output ${pattern}`): Promise<string> {
    const matches = (text: string) => (typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text));
    return whenEvent(this.subscribe, () => (matches(this.raw) ? this.raw : undefined), what);
  }

  waitForExit(): Promise<number> {
    return deadline(this.exited, 'the terminal program to exit');
  }

  kill(): void {
    try {
      this.pty.kill('SIGKILL');
    } catch {
      // Gone.
    }
  }
}
