/**
 * What the benchmark programs print: 80-column plain lines, coloured
 * `ls -laR`-like listings, and 200-column coloured lines for the memory run.
 * Generated once into files (deterministic, seeded), then `cat`-ed by a tiny
 * shell program that waits for a trigger line so that every viewer is attached
 * before the first byte. No payload contains '@', which the end markers use.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { seededRandom } from './common';

export type PayloadKind = 'plain' | 'colour';


const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'kernel', 'socket', 'buffer', 'render', 'screen', 'agent', 'viewer', 'stream', 'parse', 'token', 'frame', 'cursor', 'scroll', 'line', 'output', 'input'];
const EXTS = ['ts', 'js', 'json', 'md', 'c', 'h', 'txt', 'log', 'yaml', 'lock'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** 80 printable columns of words and numbers, then a newline. */
function plainLine(rand: () => number, n: number): string {
  let line = `${String(n).padStart(8, '0')} `;
  while (line.length < 80) line += `${WORDS[Math.floor(rand() * WORDS.length)]} `;
  return `${line.slice(0, 80)}\n`;
}

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)];
}

/** One directory of a coloured `ls -laR`, as GNU ls prints it with --color. */
function lsBlock(rand: () => number, dir: string): string {
  const entries = 4 + Math.floor(rand() * 20);
  const stamp = () => `${pick(rand, MONTHS)} ${String(1 + Math.floor(rand() * 28)).padStart(2)} ${String(Math.floor(rand() * 24)).padStart(2, '0')}:${String(Math.floor(rand() * 60)).padStart(2, '0')}`;
  const row = (mode: string, links: number, size: number, name: string) =>
    `${mode} ${String(links).padStart(2)} bench bench ${String(size).padStart(8)} ${stamp()} ${name}\n`;
  let out = `${dir}:\ntotal ${Math.floor(rand() * 2000)}\n`;
  out += row('drwxr-xr-x', 2 + Math.floor(rand() * 9), 4096, '\x1b[0m\x1b[01;34m.\x1b[0m');
  out += row('drwxr-xr-x', 2 + Math.floor(rand() * 9), 4096, '\x1b[01;34m..\x1b[0m');
  for (let i = 0; i < entries; i++) {
    const base = `${pick(rand, WORDS)}_${pick(rand, WORDS)}${Math.floor(rand() * 100)}`;
    const kind = rand();
    if (kind < 0.15) out += row('drwxr-xr-x', 2 + Math.floor(rand() * 9), 4096, `\x1b[01;34m${base}\x1b[0m`);
    else if (kind < 0.25) out += row('-rwxr-xr-x', 1, Math.floor(rand() * 200000), `\x1b[01;32m${base}.sh\x1b[0m`);
    else if (kind < 0.32) out += row('lrwxrwxrwx', 1, 10 + Math.floor(rand() * 40), `\x1b[01;36m${base}\x1b[0m -> \x1b[01;34m../${pick(rand, WORDS)}\x1b[0m`);
    else if (kind < 0.38) out += row('-rw-r--r--', 1, Math.floor(rand() * 5000000), `\x1b[01;31m${base}.tar.gz\x1b[0m`);
    else if (kind < 0.42) out += row('-rw-r--r--', 1, Math.floor(rand() * 900000), `\x1b[01;35m${base}.png\x1b[0m`);
    else out += row('-rw-r--r--', 1, Math.floor(rand() * 90000), `${base}.${pick(rand, EXTS)}`);
  }
  return `${out}\n`;
}

/** 200 printable columns in five coloured runs (256-colour and truecolour), then a newline. */
function wideLine(rand: () => number, n: number): string {
  let out = '';
  for (let part = 0; part < 5; part++) {
    let text = part === 0 ? `${String(n).padStart(6, '0')} ` : '';
    while (text.length < 40) text += `${pick(rand, WORDS)} `;
    const colour = part % 2 ? `\x1b[38;5;${16 + Math.floor(rand() * 216)}m` : `\x1b[1;38;2;${Math.floor(rand() * 256)};${Math.floor(rand() * 256)};${Math.floor(rand() * 256)}m`;
    out += `${colour}${text.slice(0, 40)}\x1b[0m`;
  }
  return `${out}\n`;
}

/** Writes about `bytes` of the payload (whole lines) to `file`; returns the exact size. */
export function writePayload(file: string, kind: PayloadKind, bytes: number, seed = 1): number {
  const rand = seededRandom(seed);
  const fd = fs.openSync(file, 'w');
  let written = 0;
  let n = 0;
  try {
    while (written < bytes) {
      let chunk = '';
      while (chunk.length < 1 << 20 && written + chunk.length < bytes) {
        chunk += kind === 'plain' ? plainLine(rand, n++) : lsBlock(rand, `./src/${pick(rand, WORDS)}/${pick(rand, WORDS)}${n++}`);
      }
      const buffer = Buffer.from(chunk, 'utf8');
      fs.writeSync(fd, buffer);
      written += buffer.length;
    }
  } finally {
    fs.closeSync(fd);
  }
  return written;
}

/** Writes `lines` lines of 200 coloured columns to `file`. */
export function writeWideLines(file: string, lines: number, seed = 7): number {
  const rand = seededRandom(seed);
  let text = '';
  for (let n = 0; n < lines; n++) text += wideLine(rand, n);
  fs.writeFileSync(file, text);
  return Buffer.byteLength(text);
}

/**
 * The program run in both superkick and tmux: it waits, with echo off, for a
 * line `FILE COUNT TAG` on its terminal, prints FILE COUNT times and then the
 * marker `@@END<TAG>@@` on its own line, and waits again.
 */
export function writeServeScript(dir: string): string {
  const file = path.join(dir, 'serve.sh');
  fs.writeFileSync(
    file,
    [
      '#!/bin/sh',
      'stty -echo',
      'while read file count tag; do',
      '  i=0',
      '  while [ "$i" -lt "$count" ]; do cat "$file"; i=$((i+1)); done',
      "  printf '@@END%s@@\\n' \"$tag\"",
      'done',
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  return file;
}

export function endMarker(tag: string): string {
  return `@@END${tag}@@`;
}

/** Raw mode, no echo, and `cat`: every key typed comes straight back as output. */
export const ECHO_COMMAND = ['sh', '-c', 'stty raw -echo; exec cat'];
