/** A goal's polling loop: looks when asked, never two at once, and stops for good. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { goalPoll } from '../../server/src/goals/goalPoll';

describe('goal poll', () => {
  it('looks at once when asked, once more after a look that was asked again meanwhile, and never two at once', async () => {
    const looks: Array<() => void> = [];
    let running = 0;
    let most = 0;
    let started: (() => void) | undefined;
    const poll = goalPoll(3600_000, () => {
      started?.();
      running += 1;
      most = Math.max(most, running);
      return new Promise<void>((resolve) => looks.push(() => ((running -= 1), resolve())));
    }, () => assert.fail('no error'));
    assert.equal(looks.length, 0, 'the first look is an interval away');
    poll.now();
    assert.equal(looks.length, 1);
    poll.now();
    poll.now();
    assert.equal(looks.length, 1, 'not while one runs');
    const second = new Promise<void>((resolve) => (started = resolve));
    looks[0]();
    await second;
    assert.equal(most, 1);
    looks[1]();
    poll.stop();
    poll.now();
    assert.equal(looks.length, 2, 'nothing after stop');
  });

  it('reports a failed look and aborts the one in flight when stopped', async () => {
    const errors: string[] = [];
    let signal: AbortSignal | undefined;
    let fail: (error: Error) => void = () => undefined;
    const poll = goalPoll(3600_000, (s) => {
      signal = s;
      return new Promise<void>((_resolve, reject) => (fail = reject));
    }, (error) => errors.push(error.message));
    poll.now();
    fail(new Error('502 from GitHub'));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(errors, ['502 from GitHub']);
    poll.now();
    poll.stop();
    assert.equal(signal?.aborted, true);
  });
});
