/**
 * Holds an agent's first "idle" back until its CLI has connected to the
 * Superkick MCP server. A CLI may draw its prompt before its MCP servers are
 * up (Claude Code connects them in the background); a kickoff typed in then
 * would be answered without superkick_signal_goal. `superkick mcp` writes a
 * ready file when the CLI initializes the session; until then (or until the
 * time limit, after which the agent goes on without waiting) an idle screen
 * is reported as still starting, so the host's queue does not type yet.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../common/logger';

/** How long a CLI may take to connect its MCP servers before the agent stops waiting (a busy machine, a slow start). */
export const MCP_READY_TIMEOUT_MS = 30_000;

export class McpGate {
  private waiting = true;
  private watcher: fs.FSWatcher | undefined;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly file: string, private readonly onOpen: () => void, private readonly log: Logger, timeoutMs = MCP_READY_TIMEOUT_MS) {
    try {
      this.watcher = fs.watch(path.dirname(file), () => this.check());
      this.watcher.on('error', () => this.watcher?.close());
    } catch (error) {
      log.warn('agent.mcp', `cannot watch for the MCP server to be ready (${(error as Error).message}); not waiting for it`);
      this.waiting = false;
    }
    this.timer = setTimeout(() => {
      if (!this.waiting) return;
      log.warn('agent.mcp', `the CLI did not connect to the Superkick MCP server within ${timeoutMs / 1000}s; going on without waiting`);
      this.openNow();
    }, timeoutMs);
    this.timer.unref();
    this.check();
  }

  /** Whether the agent may be reported idle. */
  get open(): boolean {
    return !this.waiting;
  }

  close(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
  }

  private check(): void {
    if (this.waiting && fs.existsSync(this.file)) {
      this.log.info('agent.mcp', 'the CLI connected to the Superkick MCP server');
      this.openNow();
    }
  }

  private openNow(): void {
    this.waiting = false;
    this.close();
    this.onOpen();
  }
}
