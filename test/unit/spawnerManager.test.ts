/** The spawner manager's own behaviour, with a fake spawn service: what it says about work it could not submit, and how often. */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Logger } from '../../server/src/common/logger';
import { UserError } from '../../server/src/common/userError';
import type { WorkspaceConfigs } from '../../server/src/host/workspaceConfigs';
import type { SpawnService } from '../../server/src/spawn/spawnService';
import { SpawnerManager } from '../../server/src/spawn/spawnerManager';

describe('spawner manager', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sksm-'));
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('shows work it could not submit in the entry, and logs it once while it stays so', async () => {
    fs.mkdirSync(path.join(root, 'inbox'));
    fs.writeFileSync(path.join(root, 'inbox', 'a.json'), JSON.stringify({ title: 'Fix it', key: 'a' }));
    const warnings: string[] = [];
    const log: Logger = { error: () => undefined, warn: (_tag, message) => warnings.push(message), info: () => undefined, debug: () => undefined };
    const configs = {
      list: () => [{ root }],
      // A long interval: every poll here is one this test asks for.
      configOf: () => ({ spawners: { work: { type: 'inbox', folder: 'inbox', poll_interval: 3600 } } }),
      on: () => undefined,
      off: () => undefined,
    } as unknown as WorkspaceConfigs;
    let submits = 0;
    const spawns = {
      has: () => false,
      activeFor: () => 0,
      submit: async () => {
        submits += 1;
        throw new UserError('no repository to spawn in: give the spawner a repository');
      },
    } as unknown as SpawnService;
    const manager = new SpawnerManager({ configs, spawns, log });
    /** Resolves once the entry has polled `n` times (the manager says 'changed' after each poll, and on config changes). */
    const polls = async (n: number) => {
      while ((manager.status()[0]?.polls ?? 0) < n) await once(manager, 'changed');
    };
    manager.start();
    await polls(1);
    for (let n = 2; n <= 4; n += 1) {
      manager.wake(root, 'work');
      await polls(n);
    }
    const [status] = manager.status();
    manager.stop();
    assert.equal(submits, 4, 'tried at every poll: the key is not used up');
    assert.equal(status.lastError, 'inbox-work-a: no repository to spawn in: give the spawner a repository');
    assert.equal(warnings.filter((w) => w.includes('no repository to spawn in')).length, 1, warnings.join('\n'));
  });
});
