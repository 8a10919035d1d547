/** The dispatch ledger: exactly once under concurrent claims, replays, reloads and kill -9; transitions; reconciliation; retention; corrupt files. */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DispatchLedger } from '../../server/src/spawn/dispatchLedger';
import { DispatchError } from '../../server/src/spawn/dispatchErrors';
import type { Logger } from '../../server/src/common/logger';
import { deadline, exitOf } from '../helpers/waitFor';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

const tempFile = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sk-dispatch-'));
  dirs.push(dir);
  return path.join(dir, 'state', 'dispatches.json');
};

class RecordingLogger implements Logger {
  readonly errors: string[] = [];
  readonly warnings: string[] = [];
  error(_tag: string, message: string) { this.errors.push(message); }
  warn(_tag: string, message: string) { this.warnings.push(message); }
  info() {}
  debug() {}
}

const DAY = 24 * 60 * 60 * 1000;
const fakeClock = (start = Date.parse('2026-11-24T12:00:00Z')) => {
  const clock = { at: start, now: () => clock.at };
  return clock;
};

const KEY = 'github-issue-acme/app-42';

function assertDispatchError(code: string, pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof DispatchError, `expected a DispatchError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.match(error.message, pattern);
    return true;
  };
}

describe('dispatch ledger: exactly once', () => {
  it('lets exactly one of two concurrent claims of a key win, and says who has it', async () => {
    const ledger = new DispatchLedger(tempFile(), { log: new RecordingLogger() });
    const deliver = async (delivery: number) => {
      await Promise.resolve();
      return ledger.claim(KEY, { delivery });
    };
    const results = await Promise.all([deliver(1), deliver(2)]);
    assert.equal(results.filter((result) => result.claimed).length, 1);
    const loser = results.find((result) => !result.claimed);
    assert.ok(loser && !loser.claimed);
    assert.equal(loser.existing.key, KEY);
    assert.equal(loser.existing.state, 'claimed');
    assert.deepEqual(loser.existing.details, { delivery: 1 });
  });

  it('turns ten replays into one claim, and the losers see the running agent', () => {
    const ledger = new DispatchLedger(tempFile(), { log: new RecordingLogger() });
    const first = ledger.claim(KEY, { replay: 0 });
    assert.ok(first.claimed);
    ledger.markSpawning(KEY);
    ledger.markRunning(KEY, 'agent-7');
    for (let replay = 1; replay < 10; replay++) {
      const result = ledger.claim(KEY, { replay });
      assert.ok(!result.claimed);
      assert.equal(result.existing.agentId, 'agent-7');
      assert.equal(result.existing.state, 'running');
    }
    assert.equal(ledger.list().length, 1);
    assert.deepEqual(ledger.get(KEY)?.details, { replay: 0 });
  });

  it('has the claim on disk when claim returns: a new ledger on the same file (a kill -9 right after) refuses the key', () => {
    const file = tempFile();
    const first = new DispatchLedger(file, { log: new RecordingLogger() });
    assert.ok(first.claim(KEY, { spawner: 'issues' }).claimed);
    // No close, no flush: the first instance is simply abandoned.
    const reloaded = new DispatchLedger(file, { log: new RecordingLogger() });
    const again = reloaded.claim(KEY, { spawner: 'issues' });
    assert.ok(!again.claimed);
    assert.equal(again.existing.state, 'claimed');
  });

  it('sees exactly one dispatch after a process that claimed is SIGKILLed mid-spawn, and resumes it instead of re-claiming', async () => {
    const file = tempFile();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', 'fakes', 'dispatchClaimer.ts'), file, KEY], { stdio: ['ignore', 'pipe', 'inherit'] });
    const said = await deadline(
      new Promise<string>((resolve, reject) => {
        let text = '';
        child.stdout!.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          if (text.includes('\n')) resolve(text.trim());
        });
        child.once('exit', () => reject(new Error(`claimer exited before claiming: ${text}`)));
      }),
      'the child to claim the key',
    );
    assert.equal(said, 'claimed');
    child.kill('SIGKILL');
    await exitOf(child);

    const ledger = new DispatchLedger(file, { log: new RecordingLogger() });
    assert.equal(ledger.list().length, 1);
    assert.equal(ledger.get(KEY)?.state, 'spawning');
    assert.equal(ledger.get(KEY)?.details.attempt, child.pid);
    const reconciled = ledger.reconcile({ isAgentAlive: () => 'unknown' });
    assert.deepEqual(reconciled.resume.map((dispatch) => dispatch.key), [KEY]);
    assert.ok(!ledger.claim(KEY).claimed, 'a replay after the restart must not claim again');
  });
});

describe('dispatch ledger: transitions', () => {
  it('walks claimed → spawning → running → done and persists each step', () => {
    const file = tempFile();
    const clock = fakeClock();
    const ledger = new DispatchLedger(file, { log: new RecordingLogger(), now: clock.now });
    ledger.claim(KEY, { spawner: 'issues' });
    clock.at += 1000;
    assert.equal(ledger.markSpawning(KEY).state, 'spawning');
    assert.equal(new DispatchLedger(file, { log: new RecordingLogger() }).get(KEY)?.state, 'spawning');
    const running = ledger.markRunning(KEY, 'agent-1');
    assert.equal(running.agentId, 'agent-1');
    assert.equal(new DispatchLedger(file, { log: new RecordingLogger() }).get(KEY)?.agentId, 'agent-1');
    clock.at += 1000;
    const done = ledger.markDone(KEY, 'goal met');
    assert.equal(done.state, 'done');
    assert.equal(done.finishedAt, new Date(clock.at).toISOString());
    assert.equal(new DispatchLedger(file, { log: new RecordingLogger() }).get(KEY)?.state, 'done');
  });

  it('refuses invalid transitions with an error that says what is allowed', () => {
    const ledger = new DispatchLedger(tempFile(), { log: new RecordingLogger() });
    ledger.claim(KEY);
    assert.throws(() => ledger.markRunning(KEY, 'agent-1'), assertDispatchError('invalid-transition', /is claimed and cannot become running \(from claimed it can become spawning or failed\)/));
    assert.throws(() => ledger.markDone(KEY), assertDispatchError('invalid-transition', /cannot become done/));
    ledger.markSpawning(KEY);
    assert.throws(() => ledger.markSpawning(KEY), assertDispatchError('invalid-transition', /is spawning and cannot become spawning/));
    assert.throws(() => ledger.markRunning(KEY, ''), assertDispatchError('invalid-transition', /needs the agent id/));
    ledger.markFailed(KEY, 'setup command failed');
    assert.throws(() => ledger.markDone(KEY), assertDispatchError('invalid-transition', /is failed \(setup command failed\) and cannot become done \(it is finished\)/));
    assert.throws(() => ledger.markFailed('never-claimed', 'x'), assertDispatchError('unknown-dispatch', /no dispatch with key "never-claimed"/));
    assert.throws(() => ledger.markFailed(KEY, ''), assertDispatchError('invalid-transition', /say why it failed/));
  });

  it('refuses bad keys and bad options', () => {
    const ledger = new DispatchLedger(tempFile(), { log: new RecordingLogger() });
    assert.throws(() => ledger.claim(''), assertDispatchError('invalid-argument', /non-empty string/));
    assert.throws(() => ledger.claim('x'.repeat(513)), assertDispatchError('invalid-argument', /at most 512/));
    assert.throws(() => ledger.claim(KEY, [1, 2] as unknown as Record<string, unknown>), assertDispatchError('invalid-argument', /details must be a JSON object/));
    assert.equal(ledger.get(KEY), undefined);
    const when = new Date('2026-11-24T12:00:00Z');
    const result = ledger.claim(KEY, { when });
    assert.ok(result.claimed);
    assert.deepEqual(result.dispatch.details, { when: when.toISOString() }, 'kept as a restarted host will reload it');
    assert.throws(() => new DispatchLedger(tempFile(), { log: new RecordingLogger(), retentionDays: 0 }), assertDispatchError('invalid-argument', /retentionDays/));
  });

  it('releases only a failed dispatch, after which the key can be claimed again (the explicit retry)', () => {
    const file = tempFile();
    const ledger = new DispatchLedger(file, { log: new RecordingLogger() });
    ledger.claim(KEY);
    assert.throws(() => ledger.release(KEY), assertDispatchError('not-releasable', /is claimed; only a failed dispatch can be released/));
    ledger.markFailed(KEY, 'repository missing');
    assert.ok(!ledger.claim(KEY).claimed, 'a failed dispatch is not retried automatically');
    ledger.release(KEY);
    assert.equal(new DispatchLedger(file, { log: new RecordingLogger() }).get(KEY), undefined);
    assert.ok(ledger.claim(KEY).claimed);
    assert.throws(() => ledger.release('never-claimed'), assertDispatchError('unknown-dispatch', /never-claimed/));
  });

  it('hands out copies: changing a returned dispatch changes nothing', () => {
    const ledger = new DispatchLedger(tempFile(), { log: new RecordingLogger() });
    const result = ledger.claim(KEY, { nested: { a: 1 } });
    assert.ok(result.claimed);
    result.dispatch.state = 'done';
    (result.dispatch.details.nested as { a: number }).a = 2;
    assert.equal(ledger.get(KEY)?.state, 'claimed');
    assert.deepEqual(ledger.get(KEY)?.details, { nested: { a: 1 } });
  });

  it('keeps the claim out of memory when it cannot be saved, and says nothing was started', () => {
    const file = tempFile();
    const ledger = new DispatchLedger(file, { log: new RecordingLogger() });
    fs.writeFileSync(path.dirname(file), ''); // the state folder cannot be made any more
    assert.throws(() => ledger.claim(KEY), assertDispatchError('not-saved', /nothing was started/));
    assert.equal(ledger.get(KEY), undefined);
  });
});

describe('dispatch ledger: reconciliation at host start', () => {
  function interrupted() {
    const file = tempFile();
    const ledger = new DispatchLedger(file, { log: new RecordingLogger() });
    ledger.claim('only-claimed', { spawner: 'a' });
    ledger.claim('mid-spawn', { spawner: 'b' });
    ledger.markSpawning('mid-spawn');
    ledger.claim('started-unrecorded');
    ledger.markSpawning('started-unrecorded');
    ledger.claim('running-gone');
    ledger.markSpawning('running-gone');
    ledger.markRunning('running-gone', 'agent-gone');
    ledger.claim('running-alive');
    ledger.markSpawning('running-alive');
    ledger.markRunning('running-alive', 'agent-alive');
    ledger.claim('running-unknown');
    ledger.markSpawning('running-unknown');
    ledger.markRunning('running-unknown', 'agent-unknown');
    return new DispatchLedger(file, { log: new RecordingLogger() });
  }
  const isAgentAlive = (agentId: string) => (agentId === 'agent-alive' ? true : agentId === 'agent-gone' ? false : 'unknown');
  const agentForKey = (key: string) => (key === 'started-unrecorded' ? 'agent-found' : undefined);

  it('resumes interrupted dispatches, adopts a started agent, finishes a running one whose agent is gone', () => {
    const ledger = interrupted();
    const result = ledger.reconcile({ isAgentAlive, agentForKey });
    assert.deepEqual(result.resume.map((d) => d.key).sort(), ['mid-spawn', 'only-claimed']);
    assert.deepEqual(result.resume.find((d) => d.key === 'mid-spawn')?.details, { spawner: 'b' });
    assert.deepEqual(result.adopted.map((d) => [d.key, d.state, d.agentId]), [['started-unrecorded', 'running', 'agent-found']]);
    assert.deepEqual(result.finished.map((d) => [d.key, d.state]), [['running-gone', 'done']]);
    assert.match(result.finished[0].reason ?? '', /agent-gone was gone at host start/);
    assert.deepEqual(result.failed, []);
    assert.equal(ledger.get('running-alive')?.state, 'running');
    assert.equal(ledger.get('running-unknown')?.state, 'running');
    for (const key of ['only-claimed', 'mid-spawn', 'started-unrecorded', 'running-gone', 'running-alive']) {
      assert.ok(!ledger.claim(key).claimed, `${key} must never be claimed a second time`);
    }
  });

  it('fails an interrupted spawn when told to, and still resumes one that started nothing', () => {
    const ledger = interrupted();
    const result = ledger.reconcile({ isAgentAlive, agentForKey, interruptedSpawn: 'fail' });
    assert.deepEqual(result.resume.map((d) => d.key), ['only-claimed']);
    assert.deepEqual(result.failed.map((d) => [d.key, d.state]), [['mid-spawn', 'failed']]);
    assert.match(result.failed[0].reason ?? '', /host stopped while this dispatch was spawning/);
  });

  it('persists what it settled', () => {
    const file = tempFile();
    const ledger = new DispatchLedger(file, { log: new RecordingLogger() });
    ledger.claim(KEY);
    ledger.markSpawning(KEY);
    new DispatchLedger(file, { log: new RecordingLogger() }).reconcile({ isAgentAlive: () => true, agentForKey: () => 'agent-9' });
    assert.equal(new DispatchLedger(file, { log: new RecordingLogger() }).get(KEY)?.agentId, 'agent-9');
  });
});

describe('dispatch ledger: retention and damaged files', () => {
  it('keeps finished dispatches for the retention period, then forgets them; unfinished ones stay', () => {
    const file = tempFile();
    const clock = fakeClock();
    const ledger = new DispatchLedger(file, { log: new RecordingLogger(), retentionDays: 7, now: clock.now });
    ledger.claim('finished');
    ledger.markFailed('finished', 'no');
    ledger.claim('waiting');
    clock.at += 6 * DAY;
    assert.ok(!new DispatchLedger(file, { log: new RecordingLogger(), retentionDays: 7, now: clock.now }).claim('finished').claimed);
    clock.at += 2 * DAY;
    const later = new DispatchLedger(file, { log: new RecordingLogger(), retentionDays: 7, now: clock.now });
    assert.equal(later.get('finished'), undefined);
    assert.equal(later.get('waiting')?.state, 'claimed');
    assert.ok(!JSON.parse(fs.readFileSync(file, 'utf8')).dispatches.some((d: { key: string }) => d.key === 'finished'), 'the pruned dispatch is gone from the file too');
  });

  it('moves a corrupt file aside, logs it, and keeps every legible key as failed instead of forgetting it', () => {
    const file = tempFile();
    const ledger = new DispatchLedger(file, { log: new RecordingLogger() });
    ledger.claim('key-one');
    ledger.claim('key-"two"');
    ledger.markSpawning('key-"two"');
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.slice(0, text.lastIndexOf('}') - 3)); // torn by an outside hand

    const log = new RecordingLogger();
    const reloaded = new DispatchLedger(file, { log });
    assert.equal(log.errors.length, 1);
    assert.match(log.errors[0], /is unreadable .*moved to .*dispatches\.json\.corrupt-.*2 dispatch key\(s\) recovered/);
    const aside = fs.readdirSync(path.dirname(file)).filter((name) => name.includes('.corrupt-'));
    assert.equal(aside.length, 1);
    for (const key of ['key-one', 'key-"two"']) {
      assert.equal(reloaded.get(key)?.state, 'failed');
      assert.match(reloaded.get(key)?.reason ?? '', /corrupt dispatch ledger/);
      assert.ok(!reloaded.claim(key).claimed, `${key} must not be dispatched again after the corruption`);
    }
    assert.ok(reloaded.claim('fresh').claimed, 'the ledger keeps working');
    assert.equal(new DispatchLedger(file, { log: new RecordingLogger() }).list().length, 3);
  });

  it('sets aside a file of an unknown layout rather than overwriting it', () => {
    const file = tempFile();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ version: 99, entries: [{ key: 'from-the-future' }] }));
    const log = new RecordingLogger();
    const ledger = new DispatchLedger(file, { log });
    assert.match(log.errors[0], /unknown layout, version 99/);
    assert.equal(ledger.get('from-the-future')?.state, 'failed');
    assert.equal(fs.readdirSync(path.dirname(file)).filter((name) => name.includes('.unknown-layout-')).length, 1);
  });
});
