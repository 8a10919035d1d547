/**
 * tmux, the reference: a private server (`tmux -S <tmp>/sock -f /dev/null`),
 * sessions sized and with history limits like the superkick agents, `tmux
 * attach` clients in real terminals (node-pty), and a control-mode client for
 * an in-server screen capture (tmux's counterpart of a snapshot). Cleanup
 * kills the server it started, by pid.
 */
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import { BenchTerminal, MarkerScanner, TMUX, cleanup, killPid, now, tempDir, waitGone, withTimeout } from '../common';

export interface TmuxSessionOptions {
  cols: number;
  rows: number;
  history: number;
  /** Shell command run in the session's first window. */
  command: string;
}

export class TmuxWorld {
  readonly dir: string;
  readonly socket: string;
  private serverPid: number | undefined;
  private readonly forget: () => void;

  private constructor(prefix: string) {
    this.dir = tempDir(prefix);
    this.socket = path.join(this.dir, 'sock');
    this.forget = cleanup.add(`tmux server ${this.socket}`, () => this.cleanup());
  }

  /** Kills this server now. */
  async dispose(): Promise<void> {
    await this.cleanup();
    this.forget();
  }

  static create(prefix = 'tmb'): TmuxWorld {
    return new TmuxWorld(prefix);
  }

  get env(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color' };
    delete env.TMUX; // never talk to a tmux we may be running inside
    delete env.TMUX_PANE;
    return env;
  }

  /** Runs one tmux command line (commands separated by ';') against the private server. */
  tmux(args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(TMUX, ['-S', this.socket, '-f', '/dev/null', ...args], { env: this.env, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
        if (error) reject(new Error(`tmux ${args.join(' ')} failed: ${stderr || error.message}`));
        else resolve(stdout);
      });
    });
  }

  /**
   * A detached session of the given size whose first window runs `command`.
   * The status line is off, so the pane is exactly cols x rows, like the agent's pty.
   */
  async newSession(name: string, options: TmuxSessionOptions): Promise<void> {
    await this.tmux([
      'set', '-g', 'history-limit', String(options.history), ';',
      'set', '-g', 'status', 'off', ';',
      'set', '-g', 'default-size', `${options.cols}x${options.rows}`, ';',
      'new-session', '-d', '-s', name, '-x', String(options.cols), '-y', String(options.rows), options.command,
    ]);
    this.serverPid = Number((await this.tmux(['display', '-p', '-t', name, '#{pid}'])).trim());
  }

  async newWindow(session: string, command: string): Promise<string> {
    return (await this.tmux(['new-window', '-d', '-P', '-F', '#{window_id}', '-t', session, command])).trim();
  }

  pid(): number | undefined {
    return this.serverPid;
  }

  async capture(target: string): Promise<string> {
    return this.tmux(['capture-pane', '-p', '-t', target]);
  }

  /** Waits until the pane's visible screen contains `text`. */
  async untilScreen(target: string, text: string, ms = 120_000): Promise<void> {
    const until = now() + ms;
    while (now() < until) {
      if ((await this.capture(target)).includes(text)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`tmux pane ${target} never showed ${text}`);
  }

  /** `tmux attach -t SESSION` in a terminal of the given size. */
  attachTerminal(session: string, cols: number, rows: number): BenchTerminal {
    return new BenchTerminal(TMUX, ['-S', this.socket, '-f', '/dev/null', 'attach', '-t', session], { cols, rows, env: this.env });
  }

  /** A control-mode client (`tmux -C attach`), for timing commands inside the server. */
  async control(session: string): Promise<ControlClient> {
    const client = new ControlClient(spawn(TMUX, ['-S', this.socket, '-f', '/dev/null', '-C', 'attach', '-t', session], { env: this.env, stdio: 'pipe' }));
    // Skip whatever the attach itself prints: wait for the reply to a command of ours.
    await client.command('display-message -p bench-ready', '\nbench-ready\n%end ');
    return client;
  }

  private async cleanup(): Promise<void> {
    const pid = this.serverPid;
    if (!pid) return;
    try {
      await withTimeout(this.tmux(['kill-server']), 3_000, 'tmux kill-server');
    } catch {
      // Fall through to the kill by pid.
    }
    if (!(await waitGone(pid, 2_000))) killPid(pid);
    await waitGone(pid);
  }
}

/** One tmux control-mode connection: a command in, its %begin ... %end block out. */
export class ControlClient {
  private waiter: { scanner: MarkerScanner; resolve: (at: number) => void } | undefined;
  private readonly forget: () => void;

  constructor(private readonly child: ChildProcessWithoutNullStreams) {
    const pid = child.pid;
    this.forget = cleanup.add(`tmux control client ${pid}`, () => killPid(pid));
    child.stdout.on('data', (chunk: Buffer) => {
      const waiter = this.waiter;
      if (waiter && waiter.scanner.push(chunk)) {
        this.waiter = undefined;
        waiter.resolve(now());
      }
    });
    child.stderr.resume();
    child.on('error', () => undefined);
  }

  /** Sends one command and resolves with the milliseconds until its reply block ended. */
  command(line: string, until = '\n%end '): Promise<number> {
    const start = now();
    const done = new Promise<number>((resolve) => {
      this.waiter = { scanner: new MarkerScanner(until), resolve: (at) => resolve(at - start) };
    });
    this.child.stdin.write(`${line}\n`);
    return withTimeout(done, 30_000, `tmux control reply to ${line}`);
  }

  async close(): Promise<void> {
    this.child.stdin.end();
    const exited = new Promise<void>((resolve) => (this.child.exitCode !== null ? resolve() : this.child.once('exit', () => resolve())));
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 1_000))]);
    killPid(this.child.pid);
    this.forget();
  }
}
