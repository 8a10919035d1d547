/** `superkick doctor` against CLIs on PATH (stand-ins shaped like the real ones). */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Sandbox } from '../helpers/sandbox';

const fake = (version: string, screen: string) => `#!/bin/sh
if [ "$1" = "--version" ]; then echo "${version}"; exit 0; fi
printf '${screen}'
read line
`;

describe('doctor', () => {
  const sandbox = new Sandbox();
  after(() => sandbox.cleanup());

  it('reports installed CLIs, version drift and start-up screens that no longer read as idle', async () => {
    const bin = path.join(sandbox.work, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'claude'), fake('2.1.4 (Claude Code)', '\\342\\235\\257 \\n  ? for shortcuts'), { mode: 0o755 });
    fs.writeFileSync(path.join(bin, 'codex'), fake('codex-cli 0.200.0', 'A new look!\\n> type here'), { mode: 0o755 });
    const result = await sandbox.run(['doctor', '--json', '--timeout', '2'], { env: { PATH: `${bin}:/usr/bin:/bin` } });
    assert.equal(result.code, 1, 'warnings make doctor fail');
    const checks = JSON.parse(result.stdout) as Array<{ driver: string; program: string | null; version: string | null; screen: string | null; warnings: string[] }>;
    const byName = Object.fromEntries(checks.map((check) => [check.driver, check]));
    assert.equal(byName.claude.version, '2.1.4');
    assert.equal(byName.claude.screen, 'idle');
    assert.deepEqual(byName.claude.warnings, []);
    assert.equal(byName.codex.version, '0.200.0');
    assert.equal(byName.codex.screen, 'no idle screen');
    assert.match(byName.codex.warnings.join('\n'), /installed 0\.200\.0, but its screens were recorded from 0\.169/);
    assert.match(byName.codex.warnings.join('\n'), /did not read as idle.*\n.*A new look!/);
    assert.equal(byName.gemini.program, null);
    assert.deepEqual(byName.gemini.warnings, []);
    assert.ok(checks.some((check) => check.driver === 'copilot'));
  });
});
