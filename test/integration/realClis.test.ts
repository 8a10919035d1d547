/**
 * The drivers against the real CLIs from npm (Claude Code, Codex, Gemini), in
 * a loopback-only network namespace with a private HOME: `superkick doctor`
 * starts each one in a pty (no prompt is sent, no model is called) and its
 * start-up screen must read as idle with the driver's patterns.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import { Sandbox, CLI } from '../helpers/sandbox';
import { realCliBin, realCliEnvironment } from '../helpers/realClis';

describe('real agent CLIs', () => {
  const sandbox = new Sandbox();
  after(() => sandbox.cleanup());

  it('reads the start-up screens of Claude Code, Codex and Gemini as idle', async () => {
    const bin = realCliBin();
    const home = `${sandbox.work}/home`;
    fs.mkdirSync(home);
    const env: NodeJS.ProcessEnv = { ...sandbox.env, ...realCliEnvironment(home, sandbox.work), PATH: `${bin}:${process.env.PATH}` };
    // People run these CLIs in a terminal, not under CI=true (which CI sets, and which changes how some of them start).
    delete env.CI;
    const script = `ip link set lo up; exec "${process.execPath}" "${CLI}" doctor --json --timeout 60`;
    const output = await new Promise<string>((resolve, reject) =>
      execFile('unshare', ['-rn', 'bash', '-c', script], { env, cwd: sandbox.work, timeout: 5 * 60_000 }, (error, stdout, stderr) => {
        // doctor exits 1 on warnings; the checks below say which.
        if (!stdout) reject(new Error(`doctor in a network namespace printed nothing (${error?.message ?? 'exit 0'}): ${stderr}`));
        else resolve(stdout);
      }),
    );
    const checks = JSON.parse(output) as Array<{ driver: string; version: string | null; screen: string | null; warnings: string[] }>;
    for (const name of ['claude', 'codex', 'gemini']) {
      const check = checks.find((c) => c.driver === name)!;
      assert.equal(check.screen, 'idle', `${name} ${check.version}: ${check.warnings.join('; ')}`);
      assert.deepEqual(check.warnings, [], name);
    }
  });
});
