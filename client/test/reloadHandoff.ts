/**
 * A window reload ends the extension host the tests run in, so the reload is
 * tested in two phases of one run (client/test/index.ts): before it, a test
 * leaves an agent running with its terminal open and writes down what it saw
 * here; after it, the tests read that back and check that the same host and
 * agent are still there. The folder comes from the runner (SUPERKICK_TEST_STATE).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface BeforeReload {
  agentId: string;
  agentPid: number;
  hostPid: number;
  /** The line the agent printed; its terminal showed it before the reload. */
  printed: string;
}

export type Phase = 'before-reload' | 'after-reload';

function stateFile(name: string): string {
  const dir = process.env.SUPERKICK_TEST_STATE;
  if (!dir) throw new Error('SUPERKICK_TEST_STATE is not set: run these tests with npm run test:vscode');
  return path.join(dir, name);
}

export function currentPhase(): Phase {
  return fs.existsSync(stateFile('reloaded')) ? 'after-reload' : 'before-reload';
}

/** Called right before the reload: the next run of the tests in this window is the second phase. */
export function markReloading(): void {
  fs.writeFileSync(stateFile('reloaded'), new Date().toISOString());
}

export function saveBeforeReload(facts: BeforeReload): void {
  fs.writeFileSync(stateFile('before-reload.json'), JSON.stringify(facts));
}

export function loadBeforeReload(): BeforeReload {
  const file = stateFile('before-reload.json');
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: the before-reload test did not run`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as BeforeReload;
}
