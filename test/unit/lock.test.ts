import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { acquireLock } from '../../server/src/host/lock';
import { isProcessAlive } from '../../server/src/common/processes';

const dirs: string[] = [];
const tempLock = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sk-lock-'));
  dirs.push(dir);
  return path.join(dir, 'host.lock');
};

describe('host lock', () => {
  after(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it('is held by one owner at a time and released by it', () => {
    const file = tempLock();
    const first = acquireLock(file);
    assert.equal(first.acquired, true);
    const second = acquireLock(file);
    assert.deepEqual(second, { acquired: false, holderPid: process.pid });
    if (first.acquired) first.release();
    assert.equal(fs.existsSync(file), false);
    const third = acquireLock(file);
    assert.equal(third.acquired, true);
    if (third.acquired) third.release();
  });

  it('breaks a lock left by a dead process', () => {
    const file = tempLock();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    assert.equal(isProcessAlive(Number(dead)), false);
    fs.writeFileSync(file, dead);
    const taken = acquireLock(file);
    assert.equal(taken.acquired, true);
    assert.equal(fs.readFileSync(file, 'utf8'), String(process.pid));
    if (taken.acquired) taken.release();
  });

  it('treats a half-written lock as held', () => {
    const file = tempLock();
    fs.writeFileSync(file, '');
    assert.equal(acquireLock(file).acquired, false);
  });
});
