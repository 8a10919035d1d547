/**
 * The readiness pipe between a process that starts a daemon and the daemon:
 * the daemon writes one ReadyMessage line on fd 3 when it is serving (or why
 * it could not start); the starter waits for that line, not for a timer.
 */
import * as fs from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { READY_FD, type ReadyMessage } from '../protocol/startup';

/** In the daemon. Does nothing when there is no pipe (started by hand). */
export function signalReady(message: ReadyMessage): void {
  try {
    fs.writeSync(READY_FD, `${JSON.stringify(message)}\n`);
    fs.closeSync(READY_FD);
  } catch {
    // No readiness pipe: nobody is waiting.
  }
}

/**
 * In the starter: runs `node ARGS` (this Node, or `options.node`) detached from this process and its terminal,
 * waits for its readiness message, then lets it go on alone.
 */
export async function startDaemon(args: string[], options: { env: NodeJS.ProcessEnv; cwd?: string; node?: string }): Promise<ReadyMessage> {
  // `node`: the VS Code extension host is not the Node our native modules were built for; it names the system's.
  const child = spawn(options.node ?? process.execPath, args, {
    cwd: options.cwd,
    detached: true,
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
    env: options.env,
  });
  const ready = await waitForReady(child);
  child.unref();
  (child.stdio[READY_FD] as Socket | null)?.destroy();
  return ready;
}

/** Resolves with the daemon's message, or a failure if it exited silently. */
function waitForReady(child: ChildProcess): Promise<ReadyMessage> {
  return new Promise((resolve) => {
    const pipe = child.stdio[READY_FD] as NodeJS.ReadableStream | null;
    let text = '';
    let settled = false;
    const settle = (message: ReadyMessage) => {
      if (settled) return;
      settled = true;
      resolve(message);
    };
    pipe?.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const newline = text.indexOf('\n');
      if (newline >= 0) {
        try {
          settle(JSON.parse(text.slice(0, newline)) as ReadyMessage);
        } catch {
          settle({ ok: false, error: `unreadable readiness message: ${text.slice(0, 200)}`, exitCode: 1 });
        }
      }
    });
    pipe?.on('end', () => settle({ ok: false, error: 'the process closed its readiness pipe without a word', exitCode: 1 }));
    child.once('close', (code) => settle({ ok: false, error: `the process exited with code ${code} before it was ready`, exitCode: code ?? 1 }));
  });
}
