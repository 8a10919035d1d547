import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { detachSequences, findDetach } from '../../server/src/cli/detachKey';

describe('detach key', () => {
  it('recognises ctrl-\\ as a control byte and in kitty keyboard form', () => {
    const keys = detachSequences('ctrl-\\');
    assert.equal(findDetach(Buffer.from('ab\x1c'), keys), 2);
    assert.equal(findDetach(Buffer.from('x\x1b[92;5u'), keys), 1);
    assert.equal(findDetach(Buffer.from('plain'), keys), -1);
  });

  it('accepts other ctrl keys, and none', () => {
    assert.equal(findDetach(Buffer.from('\x1d'), detachSequences('ctrl-]')), 0);
    assert.equal(findDetach(Buffer.from('\x01'), detachSequences('C-a')), 0);
    assert.deepEqual(detachSequences('none'), []);
  });

  it('explains a key it does not understand', () => {
    assert.throws(() => detachSequences('alt-x'), /detach key "alt-x" is not understood/);
    assert.throws(() => detachSequences('ctrl-1'), /ctrl can be combined with a letter/);
  });
});
