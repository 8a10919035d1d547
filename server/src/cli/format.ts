/** Human output for the CLI: tables with aligned columns, short ages. */
import type { AgentRecord } from '../protocol';

export function age(fromIso: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(fromIso)) / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h`;
  return `${Math.floor(hours / 24)}d`;
}

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

export function stateLabel(agent: AgentRecord): string {
  if (agent.state === 'exited') {
    if (agent.exitCode === null) return 'exited (?)';
    return agent.signal ? `exited (signal ${agent.signal})` : `exited (${agent.exitCode})`;
  }
  return agent.connected ? agent.state : `${agent.state}, host link down`;
}

export function agentsTable(agents: AgentRecord[], home = process.env.HOME ?? ''): string {
  const shortCwd = (cwd: string) => (home && cwd.startsWith(home) ? `~${cwd.slice(home.length)}` : cwd);
  return table(
    ['ID', 'NAME', 'DRIVER', 'STATE', 'CWD', 'PID', 'AGE', 'VIEWERS', 'COST'],
    agents.map((a) => [a.id, a.name, a.driver, stateLabel(a), shortCwd(a.cwd), a.childPid ? String(a.childPid) : '-', age(a.createdAt), String(a.viewers), usdLabel(a.cost)]),
  );
}

/**
 * Dollars for people: `unknown` when nothing could be priced (or the CLI
 * exposes no usage), a `+?` suffix when some models' tokens are left out.
 */
export function usdLabel(cost: { usd: number | null; unpricedModels: string[] } | null): string {
  if (!cost || cost.usd === null) return 'unknown';
  const digits = cost.usd !== 0 && cost.usd < 0.01 ? 4 : 2;
  return `$${cost.usd.toFixed(digits)}${cost.unpricedModels.length ? ' +?' : ''}`;
}

/** Exit status of a program as a shell reports it. */
export function shellExitCode(exitCode: number | null, signal: number | null): number {
  if (signal) return 128 + signal;
  return exitCode ?? 1;
}

/** Strips escape sequences and other control characters, for `logs --plain`. */
export function plainText(text: string): string {
  return text
    .replace(/\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g, '')
    .replace(/\x1b[P^_X][^\x1b]*\x1b\\/g, '')
    .replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, '')
    .replace(/\x1b[@-Z\\-_]/g, '')
    .replace(/\r\n/g, '\n')
    .replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '');
}
