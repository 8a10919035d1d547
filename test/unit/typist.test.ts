/** Typing for others into a pty a person may be typing into. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Typist, typedForm } from '../../server/src/agent/typist';
import { deadline } from '../helpers/waitFor';

function setup(options: { bracketedPaste?: boolean; draftQuietMs?: number } = {}) {
  const written: string[] = [];
  let onWrite: (() => void) | undefined;
  const typist = new Typist(
    (data) => {
      written.push(data);
      onWrite?.();
    },
    { modes: async () => ({ bracketedPaste: Boolean(options.bracketedPaste) }), submitted: () => undefined },
    { draftQuietMs: options.draftQuietMs ?? 60_000 },
  );
  /** Resolves once `count` writes have been made. */
  const writes = (count: number) =>
    deadline(
      new Promise<void>((resolve) => {
        onWrite = () => written.length >= count && resolve();
        onWrite();
      }),
      `${count} writes`,
    );
  return { typist, written, writes };
}

describe('typist', () => {
  it('presses Enter only once the program has echoed the text', async () => {
    const { typist, written, writes } = setup();
    const typing = typist.type('hello', true, false);
    await writes(1);
    assert.deepEqual(written, ['hello']);
    typist.output();
    assert.deepEqual(await typing, { bytes: 6, deferred: false });
    assert.deepEqual(written, ['hello', '\r']);
  });

  it('gives way to a person who submits their own draft', async () => {
    const { typist, written } = setup();
    typist.personTyped('my dra');
    const typing = typist.type('queued', true, true);
    typist.personTyped('ft\r');
    assert.deepEqual(await deadline(typing, 'the typist'), { bytes: 0, deferred: true });
    assert.deepEqual(written, [], 'nothing typed over the person');
  });

  it('erases a quiet draft, types, submits, and puts the draft back', async () => {
    const { typist, written, writes } = setup({ draftQuietMs: 0 });
    typist.personTyped('half a thought');
    typist.personTyped('\x7f\x7f\x7f\x7f\x7f\x7f\x7fthink');
    const typing = typist.type('queued', true, true);
    await writes(2);
    typist.output();
    await deadline(typing, 'the typist');
    assert.deepEqual(written, ['\x7f'.repeat('half a think'.length), 'queued', '\r', 'half a think']);
  });

  it('counts a pasted draft, and waits for a draft edited with cursor keys to be submitted', async () => {
    const { typist, written } = setup({ draftQuietMs: 0 });
    typist.personTyped('\x1b[200~pasted\ntext\x1b[201~');
    assert.equal(typist.hasDraft, true);
    typist.personTyped('\x1b[D');
    const typing = typist.type('queued', true, true);
    typist.personTyped('\r');
    assert.deepEqual(await deadline(typing, 'the typist'), { bytes: 0, deferred: true });
    assert.deepEqual(written, []);
  });

  it('types text with newlines as one bracketed paste when the program asked for it, else on one line', async () => {
    assert.equal(await typedForm('a\nb', { modes: async () => ({ bracketedPaste: true }) }), '\x1b[200~a\nb\x1b[201~');
    assert.equal(await typedForm('a\n\nb', { modes: async () => ({ bracketedPaste: false }) }), 'a b');
    assert.equal(await typedForm('one line', { modes: async () => ({ bracketedPaste: false }) }), 'one line');
    assert.equal(await typedForm('one line', { modes: async () => ({ bracketedPaste: true }) }), '\x1b[200~one line\x1b[201~', 'one line too: no TUI guesses where a paste ends');
    for (const keys of ['\x1b', '\x03', '\x1b[A\x1b[B', '\x1bOP\r']) assert.equal(await typedForm(keys, { modes: async () => ({ bracketedPaste: true }) }), keys, 'keys are pressed, not pasted');
  });
});
