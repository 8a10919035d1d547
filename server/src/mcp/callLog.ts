/**
 * The MCP server's own record of the calls it handled: one JSON line per
 * call, appended to a file (the agent's `state/agents/<id>/mcp-calls.jsonl`
 * when Superkick launched the CLI). It is how a person — or a test — checks
 * what an agent really called, without reading its screen.
 */
import * as fs from 'node:fs';

/** Arguments and results are cut to this many characters in the record (an artifact can be a megabyte). */
const RECORDED_CHARS = 2_000;

export interface CallRecord {
  at: string;
  tool: string;
  arguments: unknown;
  ok: boolean;
  /** What the model was told (the result text or the error). */
  text: string;
}

export class CallLog {
  constructor(private readonly file: string | undefined) {}

  write(record: CallRecord): void {
    if (!this.file) return;
    const line = JSON.stringify({ ...record, arguments: cut(record.arguments), text: record.text.slice(0, RECORDED_CHARS) });
    try {
      fs.appendFileSync(this.file, `${line}\n`, { mode: 0o600 });
    } catch {
      // A record we cannot write must not fail the agent's call.
    }
  }
}

function cut(value: unknown): unknown {
  const text = JSON.stringify(value ?? null);
  return text.length <= RECORDED_CHARS ? value : { truncated: `${text.slice(0, RECORDED_CHARS)}…` };
}

/** Reads a record file back (for tests and `doctor`-like checks). */
export function readCallLog(file: string): CallRecord[] {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as CallRecord);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
