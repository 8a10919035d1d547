/**
 * Which agent reads which session file, when the file cannot be told apart
 * by an id of ours (Codex): a claim is a small file under
 * state/usage-claims/, created exclusively, naming the agent. The first
 * agent to claim a session file keeps it; an agent drops its claims when its
 * program exits (a later agent only looks at sessions started after it did).
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureDir } from '../common/secureDir';

export class UsageClaims {
  private readonly mine = new Set<string>();

  constructor(private readonly dir: string, private readonly agentId: string) {}

  claim(file: string): boolean {
    const claimFile = path.join(this.dir, `${crypto.createHash('sha256').update(file).digest('hex').slice(0, 32)}.claim`);
    if (this.mine.has(claimFile)) return true;
    try {
      ensureDir(this.dir);
      fs.writeFileSync(claimFile, `${this.agentId}\n${file}\n`, { flag: 'wx', mode: 0o600 });
      this.mine.add(claimFile);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return true; // cannot record claims: read it anyway rather than never
      return fs.readFileSync(claimFile, 'utf8').split('\n')[0] === this.agentId;
    }
  }

  release(): void {
    for (const claimFile of this.mine) fs.rmSync(claimFile, { force: true });
    this.mine.clear();
  }
}
