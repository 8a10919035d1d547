/**
 * A private Superkick world for one test file: a temp SUPERKICK_DIR, the built
 * CLI run as a real process, and cleanup that ends only the processes this
 * sandbox started (the host and its agents), by pid.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AgentRecord } from '../../server/src/protocol';
import { deadline } from './waitFor';

export const REPO = path.resolve(__dirname, '..', '..');
export const CLI = path.join(REPO, 'dist', 'cli.js');

export interface RunResult { code: number; stdout: string; stderr: string }

export class Sandbox {
  readonly dir: string;
  readonly work: string;
  private readonly started = new Set<ChildProcess>();

  constructor(prefix = 'sk') {
    // Short paths: Unix socket paths are limited to about 100 bytes.
    const base = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
    this.dir = path.join(base, 'h');
    this.work = path.join(base, 'w');
    fs.mkdirSync(this.work);
  }

  get env(): NodeJS.ProcessEnv {
    return { ...process.env, SUPERKICK_DIR: this.dir, HOME: path.dirname(this.dir), TERM: 'xterm-256color', PS1: '$ ' };
  }

  /** Runs `superkick ARGS` to completion. */
  run(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<RunResult> {
    return new Promise((resolve) => {
      // A command that hangs is a failure to report, not a reason to hang the suite.
      const options_ = { env: { ...this.env, ...options.env }, cwd: options.cwd ?? this.work, maxBuffer: 64 << 20, timeout: 60_000, killSignal: 'SIGKILL' as const };
      execFile(process.execPath, [CLI, ...args], options_, (error, stdout, stderr) => {
        if (error?.killed) stderr += `\n[superkick ${args.join(' ')} hung and was killed after 60 s]`;
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      });
    });
  }

  async runOk(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<string> {
    const result = await this.run(args, options);
    if (result.code !== 0) throw new Error(`superkick ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    return result.stdout;
  }

  /** Starts `superkick ARGS` without waiting for it. */
  spawn(args: string[], options: { env?: NodeJS.ProcessEnv } = {}): ChildProcess {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...this.env, ...options.env }, cwd: this.work, stdio: ['ignore', 'pipe', 'pipe'] });
    this.started.add(child);
    return child;
  }

  /** Starts a headless agent and returns its id. */
  async startAgent(command: string[], extra: string[] = [], options: { env?: NodeJS.ProcessEnv } = {}): Promise<string> {
    return (await this.runOk(['agent', '--headless', ...extra, '--', ...command], options)).trim();
  }

  async list(): Promise<AgentRecord[]> {
    return JSON.parse(await this.runOk(['list', '--json'])) as AgentRecord[];
  }

  async agent(id: string): Promise<AgentRecord> {
    const found = (await this.list()).find((agent) => agent.id === id);
    if (!found) throw new Error(`agent ${id} not listed`);
    return found;
  }

  hostPid(): number | undefined {
    try {
      return Number(fs.readFileSync(path.join(this.dir, 'run', 'host.lock'), 'utf8'));
    } catch {
      return undefined;
    }
  }

  /** SIGKILLs the host and resolves once it is gone. */
  killHost(): Promise<void> {
    const pid = this.hostPid();
    if (!pid) throw new Error('no host is running in this sandbox');
    process.kill(pid, 'SIGKILL');
    return deadline(
      new Promise<void>((resolve) => {
        const check = () => {
          try {
            process.kill(pid, 0);
            setImmediate(check);
          } catch {
            resolve();
          }
        };
        check();
      }),
      `host pid ${pid} to die`,
    );
  }

  /** Ends everything this sandbox started: agents (by their recorded pids), the host, spawned CLIs. */
  async cleanup(): Promise<void> {
    let agents: AgentRecord[] = [];
    try {
      agents = JSON.parse(fs.readFileSync(path.join(this.dir, 'state', 'agents.json'), 'utf8')).agents.map((a: { pid: number; childPid: number }) => a);
    } catch {
      agents = [];
    }
    for (const agent of agents) {
      // The agent process first: killed after its program, it could still write an exit report into a removed sandbox.
      for (const pid of [agent.pid, agent.childPid]) {
        if (!pid) continue;
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    }
    const host = this.hostPid();
    if (host) {
      try {
        process.kill(host, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    for (const child of this.started) child.kill('SIGKILL');
    // Anything else still running with this sandbox's SUPERKICK_DIR was started by it too (agents' programs carry it).
    for (const pid of processesWithEnv(`SUPERKICK_DIR=${this.dir}`)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone meanwhile.
      }
    }
    fs.rmSync(path.dirname(this.dir), { recursive: true, force: true });
  }
}

function processesWithEnv(entry: string): number[] {
  const found: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (fs.readFileSync(`/proc/${name}/environ`, 'utf8').split('\0').includes(entry)) found.push(Number(name));
    } catch {
      // Not ours to read, or gone.
    }
  }
  return found;
}
