/** `superkick config check|show`: how the configuration stands, and what is in force. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { Host, type ConfigStatus } from '../../protocol';
import { formatDiagnostic } from '../../config/diagnostic';
import { findWorkspaceRoot } from '../../config/workspaceRoot';
import { UserError } from '../../common/userError';
import { printJson, withHost } from './withHost';

/** A file of the workspace relative to here (`../superkick.yml`, as compilers print it); any other file in full. */
export function shortPath(file: string, workspace: string | null, cwd = process.cwd()): string {
  const inside = (dir: string) => !path.relative(dir, file).startsWith('..');
  if (!inside(cwd) && !(workspace && inside(workspace) && !path.relative(workspace, cwd).startsWith('..'))) return file;
  return path.relative(cwd, file) || file;
}

export function workspaceOption(dir: string | undefined): string | undefined {
  if (dir === undefined) return undefined;
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new UserError(`--workspace ${dir}: no such folder`);
  return findWorkspaceRoot(dir);
}

export function describeStatus(status: ConfigStatus): string[] {
  const out: string[] = [];
  for (const d of status.diagnostics) out.push(formatDiagnostic(d, shortPath(d.file, status.workspace)));
  const errors = status.diagnostics.filter((d) => d.severity === 'error').length;
  const files = status.files.map((f) => shortPath(f, status.workspace)).join(', ') || 'no configuration files';
  if (errors) {
    out.push(`${errors} error${errors === 1 ? '' : 's'} in ${files}`);
    if (status.usingLastGood) out.push('the host keeps the last good configuration in force until this is fixed');
  } else {
    out.push(`${files}: OK`);
  }
  if (status.heldBack.length) {
    out.push('', 'held back until you trust this workspace (they would run commands on this machine):');
    for (const held of status.heldBack) out.push(`  ${shortPath(held.file, status.workspace)}:${held.line}:${held.column}: ${held.path}: ${held.reason}`);
    out.push(`read them, then: superkick trust ${status.workspace ?? ''}`.trimEnd());
  }
  return out;
}

export function registerConfig(program: Command): void {
  const config = program.command('config').description("check or show the configuration (superkick.yml over $SUPERKICK_DIR/config.yml)");

  config
    .command('check')
    .description('validate the configuration as it is on disk; exits 1 with file:line:col for each error')
    .option('-w, --workspace <dir>', 'the workspace (default: the one this directory is in)')
    .option('--json', 'machine-readable output')
    .action(async (options: { workspace?: string; json?: boolean }) => {
      const workspace = workspaceOption(options.workspace);
      const status = await withHost((host) => host.connection.sendRequest(Host.ConfigCheck.type, { workspace }));
      if (options.json) printJson(status);
      else console.log(describeStatus(status).join('\n'));
      if (!status.ok) process.exitCode = 1;
    });

  config
    .command('show')
    .description('print the configuration in force, merged, with secrets masked')
    .option('-w, --workspace <dir>', 'the workspace (default: the one this directory is in)')
    .option('--json', 'machine-readable output')
    .action(async (options: { workspace?: string; json?: boolean }) => {
      const workspace = workspaceOption(options.workspace);
      const { status, config: effective } = await withHost((host) => host.connection.sendRequest(Host.ConfigShow.type, { workspace }));
      if (options.json) {
        printJson({ workspace: status.workspace, files: status.files, usingLastGood: status.usingLastGood, heldBack: status.heldBack, config: effective });
        return;
      }
      const header = [`# workspace: ${status.workspace ?? '(none)'}`, `# files: ${status.files.join(', ') || '(none)'}`];
      if (status.usingLastGood) header.push('# the files have errors now (superkick config check); this is the last good configuration');
      if (status.heldBack.length) header.push(`# held back until trusted: ${status.heldBack.map((h) => h.path).join(', ')}`);
      const body = Object.keys(effective).length ? stringify(effective) : '{}\n';
      process.stdout.write(`${header.join('\n')}\n${body}`);
    });
}
