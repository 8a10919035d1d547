import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dropTerminalReplies } from '../../server/src/agent/terminalReplies';

describe('terminal replies from viewers', () => {
  it('drops answers to the queries agent CLIs send', () => {
    const answers = [
      '\x1b[?1;2c', // DA1
      '\x1b[?62;4;22c',
      '\x1b[>0;276;0c', // DA2
      '\x1b[12;40R', // cursor position
      '\x1bP>|xterm.js(6.0.0)\x1b\\', // XTVERSION
      '\x1b[?1u', // kitty keyboard flags
      '\x1b[?2004;1$y', // DECRQM
      '\x1b]11;rgb:0000/0000/0000\x1b\\', // background colour
      '\x1b]10;rgb:ffff/ffff/ffff\x07',
    ];
    for (const answer of answers) assert.equal(dropTerminalReplies(`a${answer}b`), 'ab', JSON.stringify(answer));
  });

  it('keeps what a person types, keys with escape sequences included', () => {
    const typed = ['hello\r', '\x1b[A', '\x1b[1;5D', '\x1bOP', '\x1b[200~pasted\x1b[201~', '\x1b[I', '\x1b[15~', '\x03'];
    for (const input of typed) assert.equal(dropTerminalReplies(input), input, JSON.stringify(input));
  });
});
