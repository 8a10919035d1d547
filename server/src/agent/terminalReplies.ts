/**
 * Drops the answers a viewer's own terminal sends back when it sees a query
 * in the output we relay (device attributes, cursor position, version,
 * keyboard flags, colours, mode reports). The screen model has already
 * answered each query once; a second answer typed into the program would show
 * up as garbage input.
 *
 * A modified F3 key is sent as `ESC [ 1 ; <mod> R`, the same bytes as a
 * cursor position report for row 1; like tmux, we treat it as a report.
 */
const REPLY_PATTERNS = [
  /\x1b\[\?[\d;]*c/g, // DA1 answer
  /\x1b\[>[\d;]*c/g, // DA2 answer
  /\x1b\[=[\d;]*c/g, // DA3 answer (some terminals)
  /\x1b\[\d+;\d+R/g, // cursor position report
  /\x1b\[\?\d+;\d+;?\d*R/g, // DECXCPR
  /\x1bP>\|[^\x1b]*\x1b\\/g, // XTVERSION
  /\x1bP[01]\$r[^\x1b]*\x1b\\/g, // DECRQSS answer
  /\x1b\[\?\d+u/g, // kitty keyboard flags
  /\x1b\[\??[\d;]*\$y/g, // DECRQM answer
  /\x1b\](?:4;\d+|1[0-9]);rgb:[0-9a-fA-F/]*(?:\x07|\x1b\\)/g, // OSC colour answers
];

export function dropTerminalReplies(input: string): string {
  if (!input.includes('\x1b')) return input;
  let out = input;
  for (const pattern of REPLY_PATTERNS) out = out.replace(pattern, '');
  return out;
}
