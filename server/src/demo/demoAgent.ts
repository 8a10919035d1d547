/**
 * The demo's agent: a small scripted program that behaves like an AI coding
 * CLI in a terminal, so `superkick demo` needs no AI CLI and no API key. It
 * shows a prompt when idle, works for a moment on each message (Esc
 * interrupts), fixes the file the demo's check complains about, and, when
 * told the check passes, calls superkick_signal_goal through the real
 * `superkick mcp` — started as its own child, the way agent CLIs start MCP
 * servers.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { DEMO } from './demoProject';

const PROMPT = 'demo> ';
const WORK_MS = 1200;
const PASTE_START = '\x1b[200~';
const PASTE_END = '\x1b[201~';

export async function runDemoAgent(cliEntry: string): Promise<void> {
  const out = (text: string): void => void process.stdout.write(text.replace(/\n/g, '\r\n'));
  let draft = '';
  let pasting = false;
  let pasteStart = 0;
  let busy: { timer: NodeJS.Timeout; interrupted: () => void } | null = null;

  const prompt = () => out(`\n${PROMPT}`);
  const say = (text: string) => out(`\r\x1b[K\x1b[1m●\x1b[0m ${text}\n`);

  /** Shows the working line until the time is up or Esc interrupts; resolves false when interrupted. */
  const work = (what: string) =>
    new Promise<boolean>((resolve) => {
      out(`\r\x1b[K⠋ ${what}… (esc to interrupt)`);
      busy = { timer: setTimeout(() => ((busy = null), resolve(true)), WORK_MS), interrupted: () => resolve(false) };
    });

  const respond = async (message: string) => {
    out(`\r\x1b[K\x1b[2myou:\x1b[0m ${message.split('\n')[0].slice(0, 100)}${message.includes('\n') ? ' …' : ''}\n`);
    const text = message.toLowerCase();
    if (text.includes('you may continue')) {
      say('Thanks, carrying on.');
    } else if (/shell[ _]alert/.test(text)) {
      if (!(await work('reading the failure'))) return;
      const file = path.join(process.cwd(), DEMO.file);
      const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
      if (!(await work(`fixing ${DEMO.file}`))) return;
      fs.writeFileSync(file, DEMO.fixed);
      say(`The check wants "${DEMO.fixed.trim()}" in ${DEMO.file}; it said "${before.trim()}". Fixed it.`);
    } else if (/shell[ _]success/.test(text)) {
      if (!(await work('telling Superkick the goal is met'))) return;
      say(await signalGoal(cliEntry, `${DEMO.file} is fixed and ${DEMO.check} passes again.`));
    } else {
      if (!(await work('reading the task'))) return;
      say(`Understood. I will keep ${DEMO.check} green; Superkick's shell monitor will tell me when it fails.`);
    }
  };

  process.stdin.setRawMode?.(true);
  // Bracketed paste, like the real CLIs: a multi-line message arrives as one.
  out('\x1b[?2004h');
  out('\x1b[1mSuperkick demo agent\x1b[0m — a scripted stand-in for an AI coding CLI (no model, no API key).\n');
  prompt();

  let queue = Promise.resolve();
  process.stdin.on('data', (chunk: Buffer) => {
    let data = chunk.toString('utf8');
    while (data) {
      if (busy && data.startsWith('\x1b') && !data.startsWith(PASTE_START)) {
        const { timer, interrupted } = busy;
        busy = null;
        clearTimeout(timer);
        say('Interrupted.');
        interrupted();
        data = data.slice(1);
        continue;
      }
      if (data.startsWith(PASTE_START)) {
        pasting = true;
        pasteStart = draft.length;
        data = data.slice(PASTE_START.length);
        continue;
      }
      if (pasting && data.startsWith(PASTE_END)) {
        pasting = false;
        // Like the real CLIs, a paste shows as a placeholder, not as its text.
        if (!busy) out(`[pasted ${draft.length - pasteStart} chars]`);
        data = data.slice(PASTE_END.length);
        continue;
      }
      const char = data[0];
      data = data.slice(1);
      if (char === '\x03' || char === '\x04') {
        out('\x1b[?2004l\r\n');
        process.exit(0);
      }
      if (char === '\r' && !pasting) {
        const message = draft.trim();
        draft = '';
        if (message) queue = queue.then(() => respond(message)).then(prompt);
        else prompt();
        continue;
      }
      if (char === '\x7f') {
        if (draft) {
          draft = draft.slice(0, -1);
          out('\b \b');
        }
        continue;
      }
      if (char === '\x1b') continue;
      draft += char === '\r' ? '\n' : char;
      if (!busy && !pasting) out(char === '\r' || char === '\n' ? '⏎' : char);
    }
  });
}

/** Calls the superkick_signal_goal tool through `superkick mcp`, as an agent CLI would. */
async function signalGoal(cliEntry: string, summary: string): Promise<string> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [cliEntry, 'mcp'], env: process.env as Record<string, string>, stderr: 'ignore' });
  const client = new Client({ name: 'superkick-demo-agent', version: '1.0.0' });
  try {
    await client.connect(transport);
    const result = await client.callTool({ name: 'superkick_signal_goal', arguments: { status: 'completed', summary } });
    const text = (result.content as Array<{ type: string; text?: string }>).map((part) => part.text ?? '').join(' ');
    return result.isError ? `superkick_signal_goal failed: ${text}` : `Told Superkick my goal is met (superkick_signal_goal: ${text}).`;
  } catch (error) {
    return `Could not reach superkick mcp: ${(error as Error).message}`;
  } finally {
    await client.close().catch(() => undefined);
  }
}
