/** Serves `superkick logs`: reads an agent's output log for the host. */
import { ResponseError } from 'vscode-jsonrpc';
import { ErrorCode, type Host } from '../protocol';
import { readOutputLog } from '../common/outputLog';

export class AgentLogReader {
  constructor(private readonly dir: string) {}

  read(id: string, maxBytes?: number): Host.AgentLog.Result {
    const { data, truncated, found } = readOutputLog(this.dir, id, maxBytes);
    if (!found) throw new ResponseError(ErrorCode.AgentGone, `agent ${id} has no output log (it may have been pruned)`);
    return { id, base64: data.toString('base64'), truncated };
  }
}
