import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OutputLogWriter, readOutputLog } from '../../server/src/common/outputLog';
import { deadline } from '../helpers/waitFor';

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sk-log-'));
  dirs.push(dir);
  return dir;
};

describe('output log', () => {
  after(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it('rotates into gzipped segments, keeps the newest, and reads back in order', async () => {
    const dir = tempDir();
    const writer = new OutputLogWriter(dir, 'abc', { segmentBytes: 1000, keepSegments: 3 });
    const written: Buffer[] = [];
    // 20 segments' worth.
    for (let i = 0; i < 200; i++) {
      const chunk = Buffer.from(`line ${String(i).padStart(4, '0')} ${'x'.repeat(90)}\n`);
      written.push(chunk);
      writer.write(chunk);
      if (i % 10 === 9) await new Promise((resolve) => setImmediate(resolve));
    }
    await writer.close();
    const files = fs.readdirSync(dir).sort();
    const gz = files.filter((f) => f.endsWith('.log.gz'));
    assert.equal(gz.length, 3, `kept three old segments: ${files.join(' ')}`);
    assert.ok(!files.some((f) => /^abc\.\d+\.log$/.test(f)), 'no uncompressed old segment is left');
    const { data, truncated, found } = readOutputLog(dir, 'abc');
    assert.equal(found, true);
    assert.equal(truncated, false);
    const all = Buffer.concat(written).toString();
    assert.ok(all.endsWith(data.toString()), 'what is kept is the newest tail of the output, in order');
    assert.ok(data.length >= 3000);
    const tail = readOutputLog(dir, 'abc', 500);
    assert.equal(tail.truncated, true);
    assert.equal(tail.data.toString(), all.slice(-500));
  });

  it('writes output out soon after it arrives, without waiting for more', async () => {
    const dir = tempDir();
    const writer = new OutputLogWriter(dir, 'live');
    const file = path.join(dir, 'live.log');
    const written = new Promise<void>((resolve) => {
      const watcher = fs.watch(file, () => {
        if (fs.readFileSync(file, 'utf8').includes('one keystroke')) {
          watcher.close();
          resolve();
        }
      });
    });
    writer.write(Buffer.from('one keystroke'));
    await deadline(written, 'the log file to show the write');
    await writer.close();
  });

  it('says when there is no log', () => {
    const dir = tempDir();
    assert.equal(readOutputLog(dir, 'nope').found, false);
  });
});
