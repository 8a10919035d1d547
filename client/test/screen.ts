/**
 * What a terminal shows after the given writes: the bytes the extension's
 * Pseudoterminal wrote, parsed by the same terminal model the agent keeps
 * (@xterm/headless), read back as the visible rows and the cursor.
 */
import { Terminal } from '@xterm/headless';

export interface Screen {
  /** Visible rows, right-trimmed, without the empty rows below the last written one. */
  rows: string[];
  cursor: { row: number; column: number };
}

export async function screenOf(data: string, columns = 120, rows = 40): Promise<Screen> {
  const terminal = new Terminal({ cols: columns, rows, allowProposedApi: true });
  try {
    await new Promise<void>((resolve) => terminal.write(data, resolve));
    const buffer = terminal.buffer.active;
    const visible: string[] = [];
    for (let row = 0; row < rows; row += 1) visible.push(buffer.getLine(buffer.viewportY + row)?.translateToString(true) ?? '');
    while (visible.length && visible[visible.length - 1] === '') visible.pop();
    return { rows: visible, cursor: { row: buffer.cursorY, column: buffer.cursorX } };
  } finally {
    terminal.dispose();
  }
}
