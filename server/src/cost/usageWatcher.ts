/**
 * In the agent process: polls the agent's usage reader every few seconds
 * while the program runs and reports the totals to the host when they change,
 * again after every (re)connection to the host (a restarted host hears the
 * totals at once), and one last time when the program has exited.
 */
import type { Cost } from '../protocol';
import type { Logger } from '../common/logger';
import type { UsageReader } from './usageReader';

/** Cheap enough (a stat, and a read of what was appended) to do often; budgets react within this. */
export const USAGE_POLL_MS = 2_000;

export class UsageWatcher {
  private timer: NodeJS.Timeout | undefined;
  private lastSent = '';
  private latest: Cost.ReportUsage.Params;
  private announcedSource = false;

  constructor(
    private readonly reader: UsageReader,
    private readonly send: (params: Cost.ReportUsage.Params) => Promise<boolean>,
    private readonly log: Logger,
  ) {
    this.latest = { source: '', models: {} };
  }

  start(): void {
    this.poll();
    this.timer = setInterval(() => this.poll(), USAGE_POLL_MS);
    this.timer.unref();
  }

  /** After the link to the host (re)registered: whatever was sent before may not have reached this host. */
  reconnected(): void {
    this.lastSent = '';
    void this.report();
  }

  /** The program exited: read what it wrote last, report it, and stop. */
  async finish(): Promise<void> {
    clearInterval(this.timer);
    this.poll(false);
    await this.report();
  }

  private poll(report = true): void {
    try {
      const models = this.reader.poll();
      this.latest = { source: this.reader.source ?? '', models };
      if (this.reader.source && !this.announcedSource) {
        this.announcedSource = true;
        this.log.info('agent.usage', `reading token usage from ${this.reader.source}`);
      }
    } catch (error) {
      this.log.warn('agent.usage', `could not read token usage: ${(error as Error).message}`);
    }
    if (report) void this.report();
  }

  private async report(): Promise<void> {
    const text = JSON.stringify(this.latest.models);
    if (text === this.lastSent) return;
    this.lastSent = text;
    // Not delivered (no host right now): the next reconnection sends it.
    if (!(await this.send(this.latest))) this.lastSent = '';
  }
}
