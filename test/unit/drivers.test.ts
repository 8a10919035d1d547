/** Driver profiles: choosing a driver, and reading states from screens shaped like the real CLIs' (REAL-CLIS.md). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DRIVERS, driverForCommand, driverNamed } from '../../server/src/drivers';
import { compilePatterns, detectState } from '../../server/src/drivers/detectState';

const rule = '─'.repeat(60);
const SCREENS: Record<string, Record<'idle' | 'working' | 'waiting', string>> = {
  claude: {
    idle: `╭───╮\n│ ✻ Welcome to Claude Code │\n╰───╯\n\n${rule}\n❯ \n${rule}\n  ? for shortcuts`,
    working: `> fix the bug\n\n✽ Pondering… (3s · ↑ 12 tokens)\n\n${rule}\n❯ \n${rule}\n  esc to interrupt`,
    waiting: `● Bash(rm -rf build)\n\n Do you want to proceed?\n ❯ 1. Yes\n   2. Yes, and don't ask again\n   3. No, and tell Claude what to do differently (esc)`,
  },
  codex: {
    idle: `>_ OpenAI Codex (v0.169.0)\n\n› Ask Codex to do anything\n\n  ? for shortcuts`,
    working: `• Working (4s • esc to interrupt)\n\n› \n\n  ? for shortcuts`,
    waiting: `Would you like to run the following command?\n\n  $ rm -rf build\n\n› 1. Yes, proceed\n  2. No\n\n  Press enter to confirm or esc to cancel`,
  },
  gemini: {
    idle: ` ███ GEMINI\n\nTips for getting started:\n\n╭────────╮\n│ >   Type your message or @path/to/file │\n╰────────╯`,
    working: `⠏ Thinking... (esc to cancel, 3s)\n\n╭────────╮\n│ >   Type your message or @path/to/file │\n╰────────╯`,
    waiting: `╭────────╮\n│ ? Shell rm -rf build │\n│ Allow execution of [Shell]? │\n│ ● 1. Allow once │\n│   2. Allow always │\n╰────────╯`,
  },
};

describe('drivers', () => {
  it('has one driver per CLI plus command, each saying what was verified', () => {
    assert.deepEqual(DRIVERS.map((d) => d.name).sort(), ['claude', 'codex', 'command', 'copilot', 'gemini', 'goose']);
    for (const driver of DRIVERS) assert.ok(driver.verified.note.length > 0, driver.name);
    assert.deepEqual(driverNamed('copilot').verified.states, [], 'Copilot could not be verified here and says so');
  });

  it('picks the driver from the program name', () => {
    assert.equal(driverForCommand('claude').name, 'claude');
    assert.equal(driverForCommand('/usr/local/bin/codex').name, 'codex');
    assert.equal(driverForCommand('gemini').name, 'gemini');
    assert.equal(driverForCommand('bash').name, 'command');
    assert.throws(() => driverNamed('claud'), /unknown driver "claud"; drivers: claude, codex/);
  });

  for (const [name, screens] of Object.entries(SCREENS)) {
    it(`reads ${name}'s idle, working and waiting screens`, () => {
      const patterns = compilePatterns(driverNamed(name).states);
      for (const state of ['idle', 'working', 'waiting'] as const) assert.equal(detectState(screens[state], patterns), state, `${name} ${state}`);
      assert.equal(detectState('$ ', patterns), undefined);
    });
  }

  it('reads nothing from the screen of a plain command', () => {
    assert.equal(detectState(SCREENS.claude.idle, compilePatterns(driverNamed('command').states)), undefined);
  });
});
