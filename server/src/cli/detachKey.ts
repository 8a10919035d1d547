/**
 * The detach key: `ctrl-\` by default, as in dtach. A program that turned on
 * the kitty keyboard protocol makes the terminal send the same key as
 * `ESC [ <code> ; 5 u`, so both spellings are recognised.
 */
import { UserError } from '../common/userError';

export const DEFAULT_DETACH_KEY = 'ctrl-\\';

export function detachSequences(spec: string): Buffer[] {
  if (spec === 'none') return [];
  const match = /^(?:ctrl|c|\^)[-+]?(.)$/i.exec(spec.trim());
  if (!match) throw new UserError(`detach key "${spec}" is not understood; use ctrl-<key> (for example ctrl-\\ or ctrl-]) or none`);
  const key = match[1];
  const code = key.toUpperCase().charCodeAt(0);
  if (code < 0x40 || code > 0x5f) throw new UserError(`detach key "${spec}": ctrl can be combined with a letter or one of @[\\]^_`);
  const control = Buffer.from([code & 0x1f]);
  const kitty = Buffer.from(`\x1b[${key.toLowerCase().charCodeAt(0)};5u`);
  return [control, kitty];
}

/** Index of the first detach sequence in `data`, or -1. */
export function findDetach(data: Buffer, sequences: Buffer[]): number {
  let first = -1;
  for (const sequence of sequences) {
    const at = data.indexOf(sequence);
    if (at >= 0 && (first < 0 || at < first)) first = at;
  }
  return first;
}
