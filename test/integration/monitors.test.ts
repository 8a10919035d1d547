/**
 * The shell monitor end to end: a real host, agents that go idle (a scripted
 * program shaped like Claude Code's screens), a command whose result the test
 * flips. Alerts arrive once, sanitized, when the agent is idle; one poll
 * serves two agents; a host restart repeats nothing; an untrusted workspace
 * runs nothing.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Sandbox } from '../helpers/sandbox';
import { HostWatch } from '../helpers/hostWatch';
import { deadline, whenEvent } from '../helpers/waitFor';
import { Monitors } from '../../server/src/protocol';
import { PROMPT_AGENT as FAKE_AGENT } from '../fakes/promptAgent';


/** Fails while `broken` exists; counts its runs; prints colour, a title change and a bell, which must not reach the agent. */
const CHECK = "echo run >> runs.log; printf '\\033[31mRED\\033[0m \\033]0;pwned\\007checked\\n'; test ! -f broken";

describe('monitors', () => {
  const sandbox = new Sandbox('skm');
  const bin = path.join(sandbox.work, 'bin');
  let watch: HostWatch;

  const workspace = (name: string, monitors: string) => {
    const dir = path.join(sandbox.work, name);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'superkick.yml'), `monitors:\n${monitors}`);
    return dir;
  };
  const startAgent = async (cwd: string, log: string, extra: string[] = []) => {
    const id = (await sandbox.runOk(['agent', '--headless', '--no-mcp', '--cwd', cwd, ...extra, '--', 'claude'], { env: { PATH: `${bin}:${process.env.PATH}`, FAKE_LOG: log } })).trim();
    await watch.until(id, (r) => r.state === 'idle', 'idle at its prompt');
    return id;
  };
  const linesOf = (file: string): string[] => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as string) : []);
  /** Waits (on file changes in its folder) until the agent's log satisfies `check`. */
  const untilLog = (file: string, check: (lines: string[]) => boolean, what: string) => {
    const watcher = fs.watch(path.dirname(file));
    return whenEvent(
      (listener) => {
        watcher.on('change', listener);
        return () => watcher.close();
      },
      () => (check(linesOf(file)) ? linesOf(file) : undefined),
      `${what} (the agent got ${JSON.stringify(linesOf(file))})`,
    ).finally(() => watcher.close());
  };
  const monitors = () => watch.connection.sendRequest(Monitors.ListMonitors.type, {});
  /** Waits until the listing satisfies `check`, looking again whenever a file in `folder` changes (each poll of these checks writes runs.log there). */
  const untilMonitors = (folder: string, check: (result: Monitors.ListMonitors.Result) => boolean, what: string) => {
    const watcher = fs.watch(folder);
    let last: Monitors.ListMonitors.Result | undefined;
    return deadline(
      new Promise<Monitors.ListMonitors.Result>((resolve, reject) => {
        let looking = false;
        let again = false;
        const look = async () => {
          if (looking) {
            again = true;
            return;
          }
          looking = true;
          do {
            again = false;
            last = await monitors();
            if (check(last)) return resolve(last);
          } while (again);
          looking = false;
        };
        watcher.on('change', () => look().catch(reject));
        look().catch(reject);
      }),
      `the monitor listing to show ${what}`,
    ).catch((error: Error) => {
      throw new Error(`${error.message}; last listing: ${JSON.stringify(last)}`);
    }).finally(() => watcher.close());
  };
  /** Waits (on writes to the state folder) until the injection queue holds nothing for the agent. */
  const untilQueueEmpty = (id: string) => {
    const file = path.join(sandbox.dir, 'state', 'queues.json');
    const pending = () => (JSON.parse(fs.readFileSync(file, 'utf8')) as { messages: { agentId: string }[] }).messages.filter((m) => m.agentId === id).length;
    const watcher = fs.watch(path.dirname(file));
    return whenEvent(
      (listener) => {
        watcher.on('change', listener);
        return () => watcher.close();
      },
      () => (pending() === 0 ? true : undefined),
      `the queue of ${id} to be empty`,
    ).finally(() => watcher.close());
  };
  const alerts = (lines: string[]) => lines.filter((l) => l.includes(': shell alert from'));
  const successes = (lines: string[]) => lines.filter((l) => l.includes(': shell success from'));

  before(async () => {
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'claude'), FAKE_AGENT, { mode: 0o755 });
    await sandbox.runOk(['list']);
    watch = await HostWatch.open(sandbox.dir);
  });
  after(async () => {
    watch?.close();
    await sandbox.cleanup();
  });

  it('tells an idle agent once when the check fails, sanitized and framed, then when it passes again; a restarted host repeats nothing', async () => {
    const ws = workspace('flip', `  check:\n    type: shell\n    command: "${CHECK.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"\n    poll_interval: 1\n`);
    await sandbox.runOk(['trust', ws]);
    const log = path.join(sandbox.work, 'flip.log');
    const id = await startAgent(ws, log);
    await untilMonitors(ws, (r) => r.resources.some((res) => res.agents.includes(id) && res.lastPollAt !== null), 'the first poll');

    fs.writeFileSync(path.join(ws, 'broken'), '');
    let lines = await untilLog(log, (l) => alerts(l).length > 0, 'the alert');
    const [alert] = alerts(lines);
    assert.match(alert, /SUPERKICK \[[^\]]+\]: shell alert from check/);
    assert.match(alert, /The shell monitor "check" ran `echo run >> runs\.log;.*` in .*flip and it failed with exit status 1\./);
    assert.match(alert, /\[BEGIN EXTERNAL [0-9a-f]+\] Outside content from output of the shell monitor's command/);
    assert.match(alert, /RED checked/);
    assert.doesNotMatch(alert, /[\x00-\x08\x0b-\x1f\x7f]/, 'no escape sequence or bell reaches the agent');
    const output = alert.slice(alert.indexOf('[BEGIN EXTERNAL'), alert.indexOf('[END EXTERNAL'));
    assert.doesNotMatch(output, /pwned/, 'the title change went whole, its text too');

    fs.rmSync(path.join(ws, 'broken'));
    lines = await untilLog(log, (l) => successes(l).length > 0, 'the all-clear');
    assert.equal(alerts(lines).length, 1, 'failing runs after the first say nothing more (notify_on: change)');
    assert.match(successes(lines)[0], /shell success from check .*passes again \(exit status 0\)/);

    // The host dies and comes back; the agent reconnects. Nothing it was given is given again.
    // (First the injection queue must have recorded the delivery: a kill between typing and that write is the queue's to repeat, not the monitor's.)
    await untilQueueEmpty(id);
    const listed = await monitors();
    const polls = listed.resources[0].polls;
    assert.ok(polls >= 3, `polled ${polls} times`);
    watch.close();
    await sandbox.killHost();
    await sandbox.runOk(['list']);
    watch = await HostWatch.open(sandbox.dir);
    await watch.until(id, (r) => r.connected, 'reconnected to the new host');
    await untilMonitors(ws, (r) => r.resources.some((res) => res.agents.includes(id) && res.polls >= 2), 'polls under the new host');
    fs.writeFileSync(path.join(ws, 'broken'), '');
    lines = await untilLog(log, (l) => alerts(l).length > 1, 'a new alert after the restart');
    assert.deepEqual(lines.map((l) => (alerts([l]).length ? 'alert' : successes([l]).length ? 'success' : l)), ['alert', 'success', 'alert']);
    await sandbox.runOk(['stop', id, '--force']);
  });

  it('two agents in one folder with the same check share one run per poll, and both are told', async () => {
    const ws = workspace('shared', `  check:\n    type: shell\n    command: "echo run >> runs.log; test ! -f broken"\n    poll_interval: 1\n`);
    await sandbox.runOk(['trust', ws]);
    const logs = [path.join(sandbox.work, 'shared-a.log'), path.join(sandbox.work, 'shared-b.log')];
    const ids = [await startAgent(ws, logs[0]), await startAgent(ws, logs[1])];
    await untilMonitors(ws, (r) => r.resources.some((res) => res.agents.length === 2 && res.lastPollAt !== null), 'one resource watched by both agents');
    fs.writeFileSync(path.join(ws, 'broken'), '');
    for (const log of logs) await untilLog(log, (l) => alerts(l).length === 1, 'the alert');

    const runs = path.join(ws, 'runs.log');
    const countRuns = () => fs.readFileSync(runs, 'utf8').split('\n').filter(Boolean).length;
    // A consistent look: no poll running, and the runs file unchanged around the listing.
    const snapshot = await (async () => {
      for (let tries = 0; tries < 100; tries++) {
        const before = countRuns();
        const [resource] = (await monitors()).resources.filter((r) => r.agents.includes(ids[0]));
        if (!resource.polling && countRuns() === before) return { runs: before, polls: resource.polls, resource };
      }
      throw new Error('never caught the shared resource between polls');
    })();
    assert.equal(snapshot.runs, snapshot.polls, 'one run of the command per poll, for two agents');
    assert.deepEqual(snapshot.resource.agents.sort(), [...ids].sort());
    assert.deepEqual(snapshot.resource.entries, ['check']);

    const listing = await sandbox.runOk(['monitor', 'list']);
    assert.match(listing, /MONITOR\s+TYPE\s+WATCHING\s+AGENTS\s+EVERY\s+LAST POLL\s+NEXT POLL\s+STATUS/);
    assert.match(listing, new RegExp(`check\\s+shell\\s+echo run >> runs\\.log; test ! -f broken in \\S+shared\\s+\\S*${ids[0]}`));
    for (const id of ids) {
      await sandbox.runOk(['stop', id, '--force']);
      await watch.until(id, (r) => r.state === 'exited', 'exited');
    }
    assert.ok(!(await monitors()).resources.some((res) => res.key.includes('shared')), 'the resource is dropped once no agent needs it');
  });

  it("runs nothing from an untrusted workspace, and says so for an agent assigned its monitor", async () => {
    const ws = workspace('untrusted', `  check:\n    type: shell\n    command: "echo run >> runs.log"\n    poll_interval: 1\n`);
    const id = await startAgent(ws, path.join(sandbox.work, 'untrusted.log'), ['--monitor', 'check', '--monitor', 'tpyo']);
    // Entries are decided as the agent is registered, so they are there once it is idle.
    const result = await monitors();
    const entries = new Map(result.entries.filter((e) => e.agentId === id).map((e) => [e.entry, e]));
    assert.equal(entries.get('check')!.state, 'error');
    assert.match(entries.get('check')!.message!, /runs commands and is held back until you trust the workspace \(superkick trust\)/);
    assert.equal(entries.get('tpyo')!.message, 'no monitor named "tpyo" in the configuration (it has no monitors: section)');
    assert.ok(!result.resources.some((r) => r.agents.includes(id)));
    assert.equal(fs.existsSync(path.join(ws, 'runs.log')), false, 'the command never ran');

    const json = JSON.parse(await sandbox.runOk(['monitor', 'list', '--json'])) as Monitors.ListMonitors.Result;
    assert.ok(json.entries.some((e) => e.agentId === id && e.entry === 'tpyo' && e.state === 'error'));
    const human = await sandbox.runOk(['monitor', 'list']);
    assert.match(human, new RegExp(`Not watching:\\n(.*\\n)*  \\S+ \\(${id}\\): tpyo: error — no monitor named "tpyo"`));
    await sandbox.runOk(['stop', id, '--force']);
  });
});
