/**
 * Runs a test file inside a network namespace that has only loopback
 * (`unshare -rn`), so the real agent CLIs — which try their vendors' hosts on
 * their own — can reach nothing but the fake servers on 127.0.0.1. The host,
 * the agents and the fakes all start inside; the outer run only reports.
 */
import { spawn } from 'node:child_process';
import { REPO } from './sandbox';

export const IN_LOOPBACK_NAMESPACE = process.env.SUPERKICK_TEST_NETNS === '1';

export function runInLoopbackNamespace(testFile: string): Promise<{ code: number; output: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, SUPERKICK_TEST_NETNS: '1' };
  // The inner run is its own test run, not a child of this one.
  delete env.NODE_TEST_CONTEXT;
  // People run these CLIs in a terminal, not under CI=true (which CI sets, and under which Gemini starts non-interactive).
  delete env.CI;
  const script = 'ip link set lo up && exec "$0" --import tsx --test --test-reporter=spec --test-force-exit --test-timeout=900000 "$1"';
  const child = spawn('unshare', ['-rn', 'bash', '-c', script, process.execPath, testFile], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  // Passed on as it comes too: these runs take minutes, and a hang should show where it is.
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      process.stderr.write(chunk);
    });
  }
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), output })));
}
