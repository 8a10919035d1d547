/** `superkick monitor list`: each watched resource (one poll serves all its agents), and each agent's monitor entries that do not watch, with why. */
import type { Command } from 'commander';
import { Monitors } from '../../protocol';
import { age, table } from '../format';
import { printJson, withHost } from './withHost';

export function registerMonitor(program: Command): void {
  const monitor = program.command('monitor').description("the monitors that watch agents' worlds and queue what changed for them");

  monitor
    .command('list')
    .alias('ls')
    .description('what each monitor watches, for which agents, its last and next poll, and its errors')
    .option('--json', 'machine-readable output')
    .action(async (options: { json?: boolean }) => {
      const result = await withHost((host) => host.connection.sendRequest(Monitors.ListMonitors.type, {}));
      if (options.json) {
        printJson(result);
        return;
      }
      console.log(formatMonitors(result));
    });
}

export function formatMonitors(result: Monitors.ListMonitors.Result, now = Date.now()): string {
  const out: string[] = [];
  if (result.resources.length) {
    out.push(
      table(
        ['MONITOR', 'TYPE', 'WATCHING', 'AGENTS', 'EVERY', 'LAST POLL', 'NEXT POLL', 'STATUS'],
        result.resources.map((r) => [r.entries.join(','), r.type, r.label, r.agents.join(','), `${r.intervalS}s`, r.lastPollAt ? `${age(r.lastPollAt, now)} ago` : '-', r.polling ? 'now' : r.nextPollAt ? inFuture(r.nextPollAt, now) : '-', statusOf(r)]),
      ),
    );
  } else {
    out.push('no monitor is watching anything');
  }
  const idle = result.entries.filter((e) => e.state !== 'watching');
  if (idle.length) {
    out.push('', 'Not watching:');
    for (const e of idle) {
      const retry = e.nextProbeAt ? ` (asked again ${inFuture(e.nextProbeAt, now)})` : '';
      out.push(`  ${e.agentName} (${e.agentId}): ${e.entry}: ${e.state.replace('_', ' ')}${e.message ? ` — ${e.message}` : ''}${retry}`);
    }
  }
  return out.join('\n');
}

function statusOf(r: Monitors.MonitorResourceStatus): string {
  if (r.backingOffUntil) return `backing off until ${r.backingOffUntil.slice(11, 19)} UTC${r.lastError ? `: ${r.lastError}` : ''}`;
  if (r.lastError) return `error: ${r.lastError}`;
  return r.lastPollAt ? 'ok' : 'starting';
}

function inFuture(iso: string, now: number): string {
  const seconds = Math.max(0, Math.round((Date.parse(iso) - now) / 1000));
  return seconds < 60 ? `in ${seconds}s` : `in ${age(new Date(now - seconds * 1000).toISOString(), now)}`;
}
