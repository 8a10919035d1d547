/**
 * The screen model, in a worker thread: a headless xterm parses the program's
 * output beside the relay, never on its path. It answers the terminal queries
 * programs send (the answers then match this screen), and serializes the
 * screen for attach.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Terminal } from '@xterm/headless';
import { SerializeAddon } from '@xterm/addon-serialize';
import type { FromScreen, ScreenWorkerData, ToScreen } from './screenMessages';
import { compilePatterns, detectState } from '../drivers/detectState';
import type { ScreenState } from '../drivers/profile';

const init = workerData as ScreenWorkerData;
const terminal = new Terminal({ cols: init.cols, rows: init.rows, scrollback: init.scrollback, allowProposedApi: true, logLevel: 'off' });
const serializer = new SerializeAddon();
terminal.loadAddon(serializer as never);

const port = parentPort!;
const post = (message: FromScreen) => port.postMessage(message);

terminal.onData((data) => post({ t: 'reply', data }));
// xterm answers device attributes, cursor position and mode reports itself; it is silent on XTVERSION,
// which agent CLIs send to learn what they run in. (The kitty keyboard query `CSI ? u` stays unanswered,
// as by any terminal without that protocol: the screen model does not implement it.)
terminal.parser.registerCsiHandler({ prefix: '>', final: 'q' }, () => {
  post({ t: 'reply', data: `\x1bP>|superkick ${init.version} (xterm.js)\x1b\\` });
  return true;
});

/** Writes handed to xterm and not yet parsed. */
let pending = 0;

/**
 * Parsed bytes not yet acknowledged. The main thread only needs the backlog
 * to megabyte precision (to pause a flooding program), so small amounts are
 * acknowledged a moment later in one message instead of one per keystroke:
 * each message wakes the main thread.
 */
let unacknowledged = 0;
const ACK_NOW_BYTES = 64 * 1024;
const ACK_LATER_MS = 20;
let ackTimer: NodeJS.Timeout | undefined;

function acknowledge(bytes: number): void {
  unacknowledged += bytes;
  if (unacknowledged >= ACK_NOW_BYTES) {
    flushAck();
  } else {
    ackTimer ??= setTimeout(flushAck, ACK_LATER_MS);
  }
}

function flushAck(): void {
  clearTimeout(ackTimer);
  ackTimer = undefined;
  if (unacknowledged) post({ t: 'parsed', bytes: unacknowledged });
  unacknowledged = 0;
}

/**
 * Runs `action` once everything written so far has been parsed. xterm calls a
 * write callback from a timer even for an empty write, which would add about
 * a millisecond to every snapshot of an idle screen; when nothing is pending
 * we act at once.
 */
function afterPendingWrites(action: () => void): void {
  if (pending === 0) {
    action();
    return;
  }
  // Counted as pending too, so a later action can never overtake this one.
  pending++;
  terminal.write('', () => {
    pending--;
    action();
  });
}

/**
 * Serializing a wide screen with its scrollback takes milliseconds (about
 * 14 ms for 1,000 lines at 200 columns). Most attaches find an agent that has
 * gone quiet, so once output has stopped for a moment the snapshot is made
 * ahead of time, here beside the relay, and handed out at once if nothing
 * has changed since. Any write or resize makes it stale.
 */
const PREPARE_WHEN_QUIET_MS = init.prepareWhenQuietMs ?? 300;
let generation = 0;
let prepared: { generation: number; scrollback: number; data: string; cols: number; rows: number } | undefined;
const prepareTimer = setTimeout(() => {
  if (pending > 0) {
    prepareTimer.refresh(); // Still parsing a backlog: try again once it is quiet.
    return;
  }
  prepared = { generation, scrollback: init.scrollback, data: serializer.serialize({ scrollback: init.scrollback }), cols: terminal.cols, rows: terminal.rows };
}, PREPARE_WHEN_QUIET_MS);
prepareTimer.unref();

function changed(): void {
  generation++;
  prepared = undefined;
  prepareTimer.refresh();
}

/**
 * The driver's state, read from the visible rows a little after the screen
 * changes (at most every EVALUATE_AFTER_MS, never per byte; an unchanging
 * screen costs nothing). Idle is reported only once it has held for the
 * settle time, so a frame that flickers through an idle-looking screen does
 * not count.
 */
const EVALUATE_AFTER_MS = 50;
/** A program whose screen has not changed this long after a submission ignored it: believe its idle screen again. */
const REACTION_TIMEOUT_MS = 5000;
const patterns = compilePatterns(init.states);
const readsStates = patterns.waiting.length + patterns.working.length + patterns.idle.length > 0;
let reportedState: ScreenState | undefined;
let idleSince = 0;
let evaluation: NodeJS.Timeout | undefined;
/**
 * The screen as it was when text was submitted, until the program reacts.
 * A fast turn can go from idle through working back to idle between two
 * readings; without this the agent would seem never to have left idle, and
 * the next message would wait, or go in before the program took this one.
 */
let submittedScreen: string | undefined;
let reactionTimer: NodeJS.Timeout | undefined;

function submitted(): void {
  if (!readsStates) return;
  submittedScreen = visibleText();
  idleSince = 0;
  clearTimeout(reactionTimer);
  reactionTimer = setTimeout(() => {
    submittedScreen = undefined;
    scheduleEvaluation();
  }, REACTION_TIMEOUT_MS);
  if (reportedState !== 'working') report('working');
}

function reacted(): void {
  submittedScreen = undefined;
  clearTimeout(reactionTimer);
}

function scheduleEvaluation(delay = EVALUATE_AFTER_MS): void {
  if (!readsStates || evaluation) return;
  evaluation = setTimeout(evaluateState, delay);
}

function visibleText(): string {
  const buffer = terminal.buffer.active;
  const rows: string[] = [];
  for (let y = 0; y < terminal.rows; y++) rows.push(buffer.getLine(buffer.baseY + y)?.translateToString(true) ?? '');
  return rows.join('\n');
}

function evaluateState(): void {
  evaluation = undefined;
  if (pending > 0) {
    scheduleEvaluation(); // Read the screen once the backlog is parsed.
    return;
  }
  const text = visibleText();
  const state = detectState(text, patterns);
  if (state !== 'idle') {
    idleSince = 0;
    if (state) reacted();
    if (state && state !== reportedState) report(state);
    return;
  }
  if (submittedScreen !== undefined) {
    if (text === submittedScreen) return; // Not taken yet; the next change or the reaction timeout looks again.
    reacted();
  }
  if (reportedState === 'idle') return;
  const now = Date.now();
  if (!idleSince) idleSince = now;
  if (now - idleSince >= init.idleSettleMs) report('idle');
  else scheduleEvaluation(idleSince + init.idleSettleMs - now);
}

function report(state: ScreenState): void {
  reportedState = state;
  post({ t: 'state', state });
}

function snapshot(id: number, scrollback: number): FromScreen {
  if (prepared && prepared.generation === generation && prepared.scrollback === scrollback) {
    return { t: 'snapshot', id, data: prepared.data, cols: prepared.cols, rows: prepared.rows, prepared: true };
  }
  return { t: 'snapshot', id, data: serializer.serialize({ scrollback }), cols: terminal.cols, rows: terminal.rows, prepared: false };
}

port.on('message', (message: ToScreen) => {
  switch (message.t) {
    case 'write': {
      const bytes = message.data.length;
      changed();
      pending++;
      terminal.write(message.data, () => {
        pending--;
        acknowledge(bytes);
        scheduleEvaluation();
      });
      break;
    }
    case 'resize':
      changed();
      // After pending writes, so the resize lands where it happened in the stream.
      afterPendingWrites(() => {
        terminal.resize(message.cols, message.rows);
        scheduleEvaluation();
      });
      break;
    case 'snapshot':
      afterPendingWrites(() => post(snapshot(message.id, message.scrollback)));
      break;
    case 'close':
      clearTimeout(prepareTimer);
      clearTimeout(ackTimer);
      clearTimeout(evaluation);
      clearTimeout(reactionTimer);
      terminal.dispose();
      process.exit(0);
      break;
    case 'submitted':
      afterPendingWrites(submitted);
      break;
    case 'modes':
      afterPendingWrites(() => post({ t: 'modes', id: message.id, bracketedPaste: terminal.modes.bracketedPasteMode }));
      break;
  }
});
