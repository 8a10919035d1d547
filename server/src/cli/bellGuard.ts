/**
 * When a viewer may write a bell (BEL) to its terminal. BEL also ends an OSC
 * string (a window title, a hyperlink), so one written while the program's
 * output has left such a string open would cut it short and spill the rest
 * as text. The guard follows, chunk by chunk, whether the output ends inside
 * a string sequence (OSC, DCS, SOS, PM, APC) and holds a bell until it closes.
 */
export const BEL = '\x07';

const ESC = 0x1b;
const BEL_BYTE = 0x07;
/** What follows ESC to open a string sequence: `]` OSC, `P` DCS, `X` SOS, `^` PM, `_` APC. */
const STRING_INTRODUCERS = new Set([0x5d, 0x50, 0x58, 0x5e, 0x5f]);
/** ST is ESC `\`. */
const ST_FINAL = 0x5c;

export class BellGuard {
  private insideString = false;
  /** The chunk ended on a lone ESC: the next byte decides. */
  private pendingEsc = false;
  private held = false;

  /** A bell frame arrived; true: write BEL now. */
  ring(): boolean {
    if (this.insideString) {
      this.held = true;
      return false;
    }
    return true;
  }

  /** Program output was written; true: a held bell may go now. */
  output(chunk: Uint8Array): boolean {
    this.follow(chunk);
    return this.release();
  }

  /** A snapshot redrew the screen from a clean state; true: a held bell may go now. */
  redrawn(): boolean {
    this.insideString = false;
    this.pendingEsc = false;
    return this.release();
  }

  private release(): boolean {
    if (!this.held || this.insideString) return false;
    this.held = false;
    return true;
  }

  /** Jumps from one interesting byte to the next (native indexOf), so plain output costs next to nothing. */
  private follow(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.pendingEsc) {
        this.pendingEsc = false;
        const byte = chunk[i++];
        if (this.insideString) {
          if (byte === ST_FINAL) this.insideString = false;
        } else if (STRING_INTRODUCERS.has(byte)) {
          this.insideString = true;
        }
        continue;
      }
      const esc = chunk.indexOf(ESC, i);
      const bel = this.insideString ? chunk.indexOf(BEL_BYTE, i) : -1;
      if (bel >= 0 && (esc < 0 || bel < esc)) {
        this.insideString = false;
        i = bel + 1;
      } else if (esc >= 0) {
        this.pendingEsc = true;
        i = esc + 1;
      } else {
        return;
      }
    }
  }
}
