/** Runs the superkick CLI in a real terminal of a sandbox. */
import { CLI, type Sandbox } from './sandbox';
import { TestTerminal } from './terminal';

export function cliTerminal(sandbox: Sandbox, args: string[], options: { cols?: number; rows?: number; answerQueries?: boolean } = {}): TestTerminal {
  return new TestTerminal(process.execPath, [CLI, ...args], { env: sandbox.env, cwd: sandbox.work, ...options });
}

export const BASH = ['bash', '--norc', '--noprofile'];
