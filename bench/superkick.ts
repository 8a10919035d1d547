/**
 * Superkick under test: a private SUPERKICK_DIR with its own host, headless
 * agents started by the built CLI, raw attach viewers that speak the binary
 * protocol directly, and `superkick attach` in a real terminal. Cleanup ends
 * only what this world started, by pid.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import type { MessageConnection } from 'vscode-jsonrpc';
import { Attach, Host } from '../server/src/protocol';
import { rpcOverSocket } from '../server/src/common/rpcConnection';
import { BenchTerminal, CLI, MarkerScanner, cleanup, killGroup, killPid, now, sleep, tempDir, waitGone, withTimeout } from './common';

const { FrameType, FRAME_HEADER_BYTES } = Attach;

export interface AgentHandle {
  id: string;
  /** The agent process (pty owner, attach server, screen worker). */
  pid: number;
  /** The program in the pty (a session leader: its pid is its process group). */
  childPid: number;
  socket: string;
  token: string;
}

export class SuperkickWorld {
  readonly dir: string;
  readonly work: string;
  private readonly agents: AgentHandle[] = [];
  private host: MessageConnection | undefined;
  private hostSocket: net.Socket | undefined;
  private readonly forget: () => void;

  private constructor(prefix: string) {
    const base = tempDir(prefix);
    this.dir = path.join(base, 'h');
    this.work = path.join(base, 'w');
    fs.mkdirSync(this.work);
    this.forget = cleanup.add(`superkick world ${base}`, () => this.cleanup());
  }

  /** Ends the host and every agent of this world now (its temp dir goes at the end of the run). */
  async dispose(): Promise<void> {
    await this.cleanup();
    this.forget();
  }

  /** A fresh SUPERKICK_DIR with its host running and a client connection to it. */
  static async create(prefix = 'skb'): Promise<SuperkickWorld> {
    const world = new SuperkickWorld(prefix);
    await world.cli(['list']); // starts the host on demand
    const socket = net.createConnection(path.join(world.dir, 'run', 'host.sock'));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    world.hostSocket = socket;
    world.host = rpcOverSocket(socket, { guard: false });
    world.host.listen();
    const token = fs.readFileSync(path.join(world.dir, 'auth', 'client.token'), 'utf8').trim();
    await world.host.sendRequest(Host.Authenticate.type, { token, client: 'bench' });
    return world;
  }

  get env(): NodeJS.ProcessEnv {
    return { ...process.env, SUPERKICK_DIR: this.dir, HOME: path.dirname(this.dir), TERM: 'xterm-256color' };
  }

  /** The bench's own client connection to the host. */
  get connection(): MessageConnection {
    if (!this.host) throw new Error('the bench is not connected to its host');
    return this.host;
  }

  hostPid(): number | undefined {
    try {
      const pid = Number(fs.readFileSync(path.join(this.dir, 'run', 'host.lock'), 'utf8').trim());
      return Number.isInteger(pid) && pid > 0 ? pid : undefined;
    } catch {
      return undefined;
    }
  }

  cli(args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(process.execPath, [CLI, ...args], { env: this.env, cwd: this.work, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
        if (error) reject(new Error(`superkick ${args.join(' ')} failed: ${stderr || error.message}`));
        else resolve(stdout);
      });
    });
  }

  /** Starts a headless agent; `history` is --history (the screen keeps at most 1,000 lines of it). */
  async startAgent(name: string, command: string[], history?: number): Promise<AgentHandle> {
    const extra = history === undefined ? [] : ['--history', String(history)];
    const id = (await this.cli(['agent', '--headless', '--name', name, ...extra, '--', ...command])).trim();
    // The CLI returns once the agent process is up; its registration with the host follows.
    const until = now() + 15_000;
    let resolved = await this.host!.sendRequest(Host.ResolveAgent.type, { agent: id });
    while (!(resolved.record.pid && resolved.record.childPid && resolved.record.connected) && now() < until) {
      await sleep(20);
      resolved = await this.host!.sendRequest(Host.ResolveAgent.type, { agent: id });
    }
    const { record } = resolved;
    if (!record.pid || !record.childPid || !record.attachSocket || !resolved.attachToken) throw new Error(`agent ${id} is not attachable: ${JSON.stringify(record)}`);
    const agent: AgentHandle = { id, pid: record.pid, childPid: record.childPid, socket: record.attachSocket, token: resolved.attachToken };
    this.agents.push(agent);
    return agent;
  }

  viewer(agent: AgentHandle, cols: number, rows: number): Promise<RawViewer> {
    return RawViewer.connect(agent.socket, agent.token, cols, rows);
  }

  /** `superkick attach ID` in a terminal of the given size. */
  attachTerminal(agent: AgentHandle, cols: number, rows: number): BenchTerminal {
    return new BenchTerminal(process.execPath, [CLI, 'attach', agent.id], { cols, rows, env: this.env, cwd: this.work });
  }

  /** Ends one agent: its program's process group, then the agent process. */
  async stopAgent(agent: AgentHandle): Promise<void> {
    killGroup(agent.childPid);
    killPid(agent.pid);
    await waitGone(agent.pid);
    const at = this.agents.indexOf(agent);
    if (at >= 0) this.agents.splice(at, 1);
  }

  private async cleanup(): Promise<void> {
    // Agents we know of, plus any the host knows or recorded (in case a start half-failed).
    const pids = new Set<number>();
    const groups = new Set<number>();
    for (const agent of this.agents) {
      pids.add(agent.pid);
      groups.add(agent.childPid);
    }
    try {
      if (this.host) {
        for (const record of await withTimeout(this.host.sendRequest(Host.ListAgents.type, { includeExited: false }), 3_000, 'the agent list')) {
          if (record.pid) pids.add(record.pid);
          if (record.childPid) groups.add(record.childPid);
        }
      }
    } catch {
      // The host is gone; the state file below is what is left.
    }
    this.host?.dispose();
    this.hostSocket?.destroy();
    this.host = undefined;
    try {
      const state = JSON.parse(fs.readFileSync(path.join(this.dir, 'state', 'agents.json'), 'utf8')) as { agents: Array<{ pid: number | null; childPid: number | null; exitedAt: string | null }> };
      for (const agent of state.agents) {
        if (agent.exitedAt) continue;
        if (agent.pid) pids.add(agent.pid);
        if (agent.childPid) groups.add(agent.childPid);
      }
    } catch {
      // No state written yet.
    }
    for (const group of groups) killGroup(group);
    for (const pid of pids) killPid(pid);
    const host = this.hostPid();
    killPid(host);
    await Promise.all([...pids, ...(host ? [host] : [])].map((pid) => waitGone(pid)));
    this.agents.length = 0;
  }
}

interface SnapshotEvent { at: number; bytes: number; payload: Buffer }

/**
 * A viewer on an agent's attach socket that decodes frames in place (no
 * copying of output), counts bytes and snapshots, and looks for markers in
 * output and in snapshots (a viewer that fell behind gets the end of the
 * stream as a snapshot).
 */
export class RawViewer {
  outputBytes = 0;
  /** Largest Output frame payload seen: one frame is one tick's batch in the agent. */
  largestOutput = 0;
  snapshots = 0;
  closed = false;
  private readonly header = Buffer.alloc(FRAME_HEADER_BYTES);
  private headerFill = 0;
  private frameType = 0;
  private remaining = 0;
  private snapshotParts: Buffer[] | undefined;
  private snapshotBytes = 0;
  private waiter: { scanner: MarkerScanner; marker: Buffer; resolve: (at: number) => void } | undefined;
  private snapshotWaiter: ((event: SnapshotEvent) => void) | undefined;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('close', () => {
      this.closed = true;
    });
    socket.on('error', () => undefined);
  }

  /** Connects and sends Hello; `connectedAt` is when the connection was opened. */
  static async connect(socketPath: string, token: string, cols: number, rows: number): Promise<RawViewer> {
    const socket = net.createConnection(socketPath);
    const viewer = new RawViewer(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    viewer.send(FrameType.Hello, JSON.stringify({ token, cols, rows }));
    return viewer;
  }

  send(type: Attach.FrameType, payload: Buffer | string): void {
    if (!this.socket.destroyed) this.socket.write(Attach.encodeFrame(type, payload));
  }

  type(text: string): void {
    this.send(FrameType.Input, text);
  }

  /** Resolves with the arrival time of the next complete Snapshot frame. */
  nextSnapshot(): Promise<SnapshotEvent> {
    return new Promise((resolve) => {
      this.snapshotWaiter = resolve;
    });
  }

  /** Resolves with the time `marker` arrives, in output or in a snapshot. Only data from now on counts. */
  expect(marker: string): Promise<number> {
    return new Promise((resolve) => {
      const bytes = Buffer.from(marker);
      this.waiter = { scanner: new MarkerScanner(bytes), marker: bytes, resolve };
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.remaining === 0 && this.headerFill < FRAME_HEADER_BYTES) {
        const take = Math.min(FRAME_HEADER_BYTES - this.headerFill, chunk.length - offset);
        chunk.copy(this.header, this.headerFill, offset, offset + take);
        this.headerFill += take;
        offset += take;
        if (this.headerFill < FRAME_HEADER_BYTES) return;
        this.frameType = this.header.readUInt8(0);
        this.remaining = this.header.readUInt32BE(1);
        if (this.frameType === FrameType.Output && this.remaining > this.largestOutput) this.largestOutput = this.remaining;
        if (this.frameType === FrameType.Snapshot) {
          this.snapshotParts = [];
          this.snapshotBytes = this.remaining;
        }
        if (this.remaining === 0) this.endFrame();
        continue;
      }
      const take = Math.min(this.remaining, chunk.length - offset);
      const slice = chunk.subarray(offset, offset + take);
      offset += take;
      this.remaining -= take;
      if (this.frameType === FrameType.Output) {
        this.outputBytes += take;
        const waiter = this.waiter;
        if (waiter && waiter.scanner.push(slice)) {
          this.waiter = undefined;
          waiter.resolve(now());
        }
      } else {
        this.snapshotParts?.push(slice);
      }
      if (this.remaining === 0) this.endFrame();
    }
  }

  private endFrame(): void {
    this.headerFill = 0;
    if (this.frameType === FrameType.Snapshot) {
      const at = now();
      const payload = Buffer.concat(this.snapshotParts ?? []);
      this.snapshotParts = undefined;
      this.snapshots++;
      const waiter = this.waiter;
      if (waiter && payload.indexOf(waiter.marker) >= 0) {
        this.waiter = undefined;
        waiter.resolve(at);
      } else {
        waiter?.scanner.reset();
      }
      const snapshotWaiter = this.snapshotWaiter;
      this.snapshotWaiter = undefined;
      snapshotWaiter?.({ at, bytes: this.snapshotBytes, payload });
    }
  }
}
