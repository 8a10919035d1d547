/**
 * The temporary project `superkick demo` creates: a git repository with one
 * file, a check that wants it right, and a superkick.yml that supervises an
 * agent there (a goal the agent signals, the shell monitor on the check, the
 * notifiers that tell the person).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const DEMO = {
  file: 'greeting.txt',
  fixed: 'hello world\n',
  broken: 'helo world\n',
  check: './check.sh',
  goal: 'agent_says_done',
  monitor: 'check',
} as const;

const CHECK_SCRIPT = `#!/bin/sh
# The demo's test suite: the greeting must be spelled right.
if grep -qx "hello world" ${DEMO.file}; then
  echo "ok: ${DEMO.file} says hello world"
else
  echo "FAIL: ${DEMO.file} should say 'hello world', it says '$(cat ${DEMO.file})'"
  exit 1
fi
`;

const SUPERKICK_YML = `# Written by \`superkick demo\`: one agent, supervised end to end.
goals:
  ${DEMO.goal}:
    type: agent_signal     # met when the agent calls superkick_signal_goal
    on_met: stop

monitors:
  ${DEMO.monitor}:
    type: shell
    command: ${DEMO.check}
    poll_interval: 1
    notify_on: change      # tell the agent when the check starts failing, and when it passes again

notifiers:
  bell:
    type: terminal_bell
    events: [goal_met, goal_failed, agent_waiting]

# The demo agent is a plain program; this teaches the command driver its screen.
drivers:
  command:
    states:
      idle: ["^demo>\\\\s*$"]
      working: ["esc to interrupt"]
    idle_settle_ms: 200
`;

/** Creates the project in a new temp folder and returns its path. */
export function createDemoProject(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'superkick-demo-')));
  fs.writeFileSync(path.join(dir, DEMO.file), DEMO.fixed);
  fs.writeFileSync(path.join(dir, 'check.sh'), CHECK_SCRIPT, { mode: 0o755 });
  fs.writeFileSync(path.join(dir, 'superkick.yml'), SUPERKICK_YML);
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore', env: { ...process.env, GIT_AUTHOR_NAME: 'Superkick demo', GIT_AUTHOR_EMAIL: 'demo@superkick.invalid', GIT_COMMITTER_NAME: 'Superkick demo', GIT_COMMITTER_EMAIL: 'demo@superkick.invalid' } });
  git('init', '-q');
  git('add', '.');
  git('commit', '-q', '-m', 'demo project');
  return dir;
}

/** What a teammate's bad commit does: the check starts failing. */
export function breakDemoProject(dir: string): void {
  fs.writeFileSync(path.join(dir, DEMO.file), DEMO.broken);
}
