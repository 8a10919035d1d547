/** The shipped screen corpus (real CLIs' screens, recorded by realCliLoop.test.ts) reads as recorded with the drivers' patterns. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { driverNamed } from '../../server/src/drivers';
import { compilePatterns, detectState } from '../../server/src/drivers/detectState';
import { SCREEN_CORPUS } from '../../server/src/drivers/screenCorpus';

describe('screen corpus', () => {
  it('has every state of Claude Code, Codex and Gemini, from a named version', () => {
    assert.deepEqual(SCREEN_CORPUS.map((corpus) => corpus.driver).sort(), ['claude', 'codex', 'gemini']);
    for (const corpus of SCREEN_CORPUS) {
      assert.match(corpus.version, /^\d+\.\d+\.\d+/, corpus.driver);
      assert.ok(corpus.version.startsWith(`${driverNamed(corpus.driver).observedVersion}.`), `${corpus.driver}: the profile names the release the corpus is from`);
      assert.deepEqual([...new Set(corpus.screens.map((screen) => screen.state))].sort(), ['idle', 'waiting', 'working'], corpus.driver);
    }
  });

  for (const corpus of SCREEN_CORPUS) {
    it(`reads every recorded ${corpus.driver} ${corpus.version} screen as its state`, () => {
      const patterns = compilePatterns(driverNamed(corpus.driver).states);
      for (const screen of corpus.screens) assert.equal(detectState(screen.text, patterns), screen.state, `${corpus.driver}, ${screen.moment}:\n${screen.text}`);
    });
  }
});
