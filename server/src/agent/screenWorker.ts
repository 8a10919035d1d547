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

port.on('message', (message: ToScreen) => {
  switch (message.t) {
    case 'write': {
      const bytes = message.data.length;
      terminal.write(message.data, () => post({ t: 'parsed', bytes }));
      break;
    }
    case 'resize':
      // Queued behind pending writes, so the resize lands where it happened in the stream.
      terminal.write('', () => terminal.resize(message.cols, message.rows));
      break;
    case 'snapshot':
      terminal.write('', () => {
        post({ t: 'snapshot', id: message.id, data: serializer.serialize({ scrollback: message.scrollback }), cols: terminal.cols, rows: terminal.rows });
      });
      break;
  }
});
