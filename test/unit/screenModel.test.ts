/** The screen model worker (as bundled): parsing, snapshots, and snapshots made ahead while quiet. */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { ScreenModel } from '../../server/src/agent/screenModel';
import { driverNamed } from '../../server/src/drivers';
import { REPO } from '../helpers/sandbox';
import { deadline } from '../helpers/waitFor';

const WORKER = path.join(REPO, 'dist', 'screenWorker.js');
// The worker is unref'd (it must not keep an agent process alive); every wait here holds a deadline timer, which keeps the test alive.

describe('screen model', () => {
  const models: ScreenModel[] = [];
  const open = (prepareWhenQuietMs?: number, driver = 'command') => {
    const replies: string[] = [];
    const states: string[] = [];
    let stateListener: (() => void) | undefined;
    const profile = driverNamed(driver);
    const model = new ScreenModel(
      { version: 'test', cols: 40, rows: 5, scrollback: 100, prepareWhenQuietMs, states: profile.states, idleSettleMs: profile.idleSettleMs },
      {
        reply: (data) => replies.push(data),
        pause: () => undefined,
        resume: () => undefined,
        state: (state) => {
          states.push(state);
          stateListener?.();
        },
      },
      WORKER,
    );
    models.push(model);
    const nextState = (count: number) =>
      deadline(
        new Promise<void>((resolve) => {
          stateListener = () => states.length >= count && resolve();
          stateListener();
        }),
        `state event ${count}`,
      );
    return { model, replies, states, nextState };
  };
  after(() => Promise.all(models.map((model) => model.close())));

  it('snapshots exactly what was written before the request, including colours and scrollback', async () => {
    const { model } = open();
    for (let i = 0; i < 20; i++) model.write(Buffer.from(`line ${i}\r\n`));
    model.write(Buffer.from('\x1b[31mred\x1b[0m'));
    const snapshot = await deadline(model.snapshot(100), 'a snapshot');
    assert.equal(snapshot.cols, 40);
    assert.match(snapshot.data, /line 0\r\n/);
    assert.match(snapshot.data, /line 19/);
    assert.match(snapshot.data, /\x1b\[31mred/);
  });

  it('hands out a snapshot made while quiet, identical to a fresh one, and drops it on new output', async () => {
    const { model } = open(0);
    model.write(Buffer.from('\x1b[1;32mhello\x1b[0m world\r\nsecond line'));
    const fresh = await deadline(model.snapshot(100), 'a snapshot');
    let ahead = await deadline(model.snapshot(100), 'a snapshot');
    // Ask until the prepared one is in place (each answer is an event; no timers in the test).
    for (let tries = 0; !ahead.prepared && tries < 10_000; tries++) ahead = await deadline(model.snapshot(100), 'a snapshot');
    assert.equal(ahead.prepared, true);
    assert.equal(ahead.data, fresh.data);
    model.write(Buffer.from('\r\nthird'));
    const after = await deadline(model.snapshot(100), 'a snapshot');
    assert.equal(after.prepared, false, 'new output makes the prepared snapshot stale');
    assert.match(after.data, /third/);
  });

  it('never reports a screen that only flickers through idle, and reports idle once it holds', async () => {
    const { model, states, nextState } = open(undefined, 'claude');
    // An idle-looking frame immediately redrawn as working: the only state is working.
    model.write(Buffer.from('\x1b[2J\x1b[H\u276f \r\n  ? for shortcuts'));
    model.write(Buffer.from('\x1b[2J\x1b[H\u273d Working\u2026\r\n  esc to interrupt'));
    await nextState(1);
    assert.deepEqual(states, ['working']);
    model.write(Buffer.from('\x1b[2J\x1b[H\u276f \r\n  ? for shortcuts'));
    await nextState(2);
    assert.deepEqual(states, ['working', 'idle']);
    model.write(Buffer.from('\x1b[2J\x1b[H Do you want to proceed?\r\n \u276f 1. Yes'));
    await nextState(3);
    assert.deepEqual(states, ['working', 'idle', 'waiting']);
  });

  it('counts a submission as working until the screen shows the program took it, even if it never looked busy', async () => {
    const { model, states, nextState } = open(undefined, 'claude');
    model.write(Buffer.from('\x1b[2J\x1b[H\u276f fix it\r\n  ? for shortcuts'));
    await nextState(1);
    assert.deepEqual(states, ['idle']);
    model.submitted();
    await nextState(2);
    assert.deepEqual(states, ['idle', 'working'], 'working from the moment Enter is pressed');
    // The program answers faster than any reading: straight from the prompt to a new idle screen.
    model.write(Buffer.from('\x1b[2J\x1b[H\u25cf Done.\r\n\u276f \r\n  ? for shortcuts'));
    await nextState(3);
    assert.deepEqual(states, ['idle', 'working', 'idle'], 'idle again once the screen changed and held');
  });

  it('answers terminal queries the programs send', async () => {
    const { model, replies } = open();
    model.write(Buffer.from('\x1b[c\x1b[>0q'));
    await deadline(model.snapshot(0), 'the queries to be parsed');
    assert.ok(replies.some((reply) => /^\x1b\[\?[\d;]*c$/.test(reply)), 'device attributes');
    assert.ok(replies.some((reply) => reply.includes('P>|superkick test')), 'XTVERSION');
  });
});
