/**
 * Types text for others (the injection queue, `superkick inject`) into a pty
 * that people may be typing into too.
 *
 * - Submitting: the text goes in first (as a bracketed paste when the program
 *   turned that on, see `typedForm`), and Enter only once the program has
 *   echoed it or ECHO_WAIT_MS have passed, and no sooner than the driver's
 *   `enterDelayMs` after the text: Enter sent right behind a paste is lost by
 *   some CLIs (Claude Code, about 2 times in 3), and CLIs that guess pastes
 *   from fast keystrokes (Codex) take an early Enter for a newline.
 * - Never clobbering a person: what viewers type since their last Enter is
 *   their draft. Queued text waits until the draft is submitted or the person
 *   has been quiet for `draftQuietMs`. Submitted: the program is busy with
 *   it, so the text is handed back (deferred) for the agent's next idle.
 *   Quiet: the draft is erased, the text goes in, and the draft is typed back.
 *   A draft edited with cursor keys or other control keys cannot be erased
 *   reliably, so then only its submission ends the wait.
 */
import type { ScreenModel } from './screenModel';

const ECHO_WAIT_MS = 500;
export const DEFAULT_DRAFT_QUIET_MS = 10_000;

const PASTE_START = '\x1b[200~';
const KEYS_ONLY = /^(?:\x1b\[[0-?]*[ -/]*[@-~]|\x1bO.|[\x00-\x1f\x7f])+$/;
const PASTE_END = '\x1b[201~';

export class Typist {
  private draft = '';
  /** False once the person used cursor or control keys in this draft. */
  private draftErasable = true;
  private lastKeystroke = 0;
  private readonly outputWaiters = new Set<() => void>();
  private readonly keystrokeWaiters = new Set<() => void>();

  constructor(
    private readonly write: (data: string) => void,
    private readonly screen: Pick<ScreenModel, 'modes' | 'submitted'>,
    private readonly timing: { draftQuietMs?: number; enterDelayMs?: number } = {},
  ) {}

  private get draftQuietMs(): number {
    return this.timing.draftQuietMs ?? DEFAULT_DRAFT_QUIET_MS;
  }

  /** The program printed something. */
  output(): void {
    for (const waiter of this.outputWaiters) waiter();
    this.outputWaiters.clear();
  }

  /** A person typed `data` into the agent (already on its way to the pty). */
  personTyped(data: string): void {
    this.lastKeystroke = Date.now();
    let rest = data;
    while (rest) {
      if (rest.startsWith(PASTE_START)) {
        const end = rest.indexOf(PASTE_END);
        const pasted = end < 0 ? rest.slice(PASTE_START.length) : rest.slice(PASTE_START.length, end);
        this.draft += pasted;
        rest = end < 0 ? '' : rest.slice(end + PASTE_END.length);
        continue;
      }
      const char = rest[0];
      rest = rest.slice(1);
      if (char === '\r' || char === '\n' || char === '\x03') {
        this.draft = '';
        this.draftErasable = true;
      } else if (char === '\x7f' || char === '\b') {
        this.draft = this.draft.slice(0, -1);
      } else if (char === '\x15') {
        this.draft = '';
      } else if (char < ' ') {
        // An escape sequence (arrows, home) or another control key: where the cursor is, we no longer know.
        this.draftErasable = false;
        if (char === '\x1b') rest = rest.replace(/^(\[[0-?]*[ -/]*[@-~]|O.|.)/, '');
      } else {
        this.draft += char;
      }
    }
    for (const waiter of this.keystrokeWaiters) waiter();
  }

  get hasDraft(): boolean {
    return this.draft.length > 0;
  }

  /**
   * Types `text` (and Enter when `submit`). With `respectDraft`, waits for a
   * person's draft first and puts it back afterwards; `deferred` when the
   * person submitted their draft meanwhile and nothing was typed.
   */
  async type(text: string, submit: boolean, respectDraft: boolean): Promise<{ bytes: number; deferred: boolean }> {
    let restore = '';
    if (respectDraft && this.draft) {
      if ((await this.draftSettled()) === 'submitted') return { bytes: 0, deferred: true };
      restore = this.draft;
      this.write('\x7f'.repeat([...this.draft].length));
      this.draft = '';
    }
    const typed = await typedForm(text, this.screen);
    this.write(typed);
    let bytes = Buffer.byteLength(typed);
    if (submit) {
      const typedAt = Date.now();
      await this.echoOrTimeout();
      const gap = (this.timing.enterDelayMs ?? 0) - (Date.now() - typedAt);
      if (gap > 0) await new Promise((resolve) => setTimeout(resolve, gap));
      // The screen as it is now, before Enter, is what "not taken yet" looks like.
      this.screen.submitted();
      this.write('\r');
      bytes += 1;
    }
    if (restore) this.write(restore);
    return { bytes, deferred: false };
  }

  /** Resolves when the draft is submitted, or the person has been quiet long enough and the draft can be erased. */
  private draftSettled(): Promise<'submitted' | 'quiet'> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const check = () => {
        clearTimeout(timer);
        const quietFor = Date.now() - this.lastKeystroke;
        if (!this.draft || (this.draftErasable && quietFor >= this.draftQuietMs)) {
          this.keystrokeWaiters.delete(check);
          resolve(this.draft ? 'quiet' : 'submitted');
          return;
        }
        if (this.draftErasable) timer = setTimeout(check, this.draftQuietMs - quietFor);
      };
      this.keystrokeWaiters.add(check);
      check();
    });
  }

  private echoOrTimeout(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.outputWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ECHO_WAIT_MS);
      this.outputWaiters.add(done);
    });
  }
}

/**
 * How text is typed so that a newline in it never presses Enter (see
 * AgentLink.AgentInput): one bracketed paste whenever the program turned that
 * on — also for one line, which a TUI would otherwise see as a burst of
 * keystrokes and may take for a paste it guesses the end of — else typed,
 * with newlines folded into spaces. Keys (Esc, arrows, ctrl-c: control
 * characters and escape sequences only) are pressed, never pasted.
 */
export async function typedForm(text: string, screen: Pick<ScreenModel, 'modes'>): Promise<string> {
  if (!text || KEYS_ONLY.test(text)) return text;
  if ((await screen.modes()).bracketedPaste) return `${PASTE_START}${text}${PASTE_END}`;
  return text.replace(/\n+/g, ' ');
}
