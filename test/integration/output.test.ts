/**
 * Every byte the program writes reaches the log, the recording, the final
 * screen and every viewer, also when it exits right after writing; slow
 * viewers are resynced rather than buffered without bound; recordings are
 * valid asciicast v2 that asciinema plays.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Sandbox } from '../helpers/sandbox';
import { HostWatch } from '../helpers/hostWatch';
import { TestViewer } from '../helpers/testViewer';
import { TestTerminal } from '../helpers/terminal';
import { Host } from '../../server/src/protocol';

const normalize = (text: string) => text.replace(/\r\n/g, '\n');
const sha = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

function readCast(file: string): { header: Record<string, unknown>; events: Array<[number, string, string]> } {
  const [first, ...rest] = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
  return { header: JSON.parse(first), events: rest.map((line) => JSON.parse(line)) };
}

describe('output delivery', () => {
  const sandbox = new Sandbox();
  let watch: HostWatch;
  before(async () => {
    await sandbox.runOk(['list']);
    watch = await HostWatch.open(sandbox.dir);
  });
  after(async () => {
    watch?.close();
    await sandbox.cleanup();
  });

  const attach = async (id: string, size = { cols: 80, rows: 24 }) => {
    const resolved = await watch.connection.sendRequest(Host.ResolveAgent.type, { agent: id });
    const viewer = await TestViewer.connect(resolved.record.attachSocket!, resolved.attachToken!, size);
    await viewer.until(() => (viewer.snapshots().length ? true : undefined), 'the attach snapshot');
    return viewer;
  };

  it('loses no byte of a program that writes fast and exits at once (100 runs)', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 900; i++) lines.push(`${String(i).padStart(4, '0')} ${crypto.randomBytes(54).toString('base64')}`);
    const payload = `${lines.join('\n')}\nEND-OF-PAYLOAD\n`;
    const payloadFile = path.join(sandbox.work, 'payload.txt');
    fs.writeFileSync(payloadFile, payload);
    const digest = sha(payload);

    const runOnce = async (run: number) => {
      const id = await sandbox.startAgent(['sh', '-c', `read go; cat ${payloadFile}`], ['--record', '--name', `burst-${run}`]);
      const viewers = [await attach(id), await attach(id)];
      viewers[0].type('go\r');
      for (const viewer of viewers) {
        await viewer.untilExit();
        const received = normalize(viewer.output.toString('utf8'));
        const start = received.indexOf('0000 ');
        assert.equal(sha(received.slice(start, start + payload.length)), digest, `run ${run}: a viewer got every byte`);
      }
      const exited = await watch.until(id, (r) => r.state === 'exited', 'exit reported');
      assert.equal(exited.exitCode, 0);
      const log = normalize(fs.readFileSync(path.join(sandbox.dir, 'logs', 'agents', `${id}.log`), 'utf8'));
      assert.ok(log.endsWith(payload), `run ${run}: the log has every byte`);
      const cast = readCast(path.join(sandbox.dir, 'recordings', `${id}.cast`));
      const recorded = normalize(cast.events.filter((e) => e[1] === 'o').map((e) => e[2]).join(''));
      assert.ok(recorded.endsWith(payload), `run ${run}: the recording has every byte`);
      const finalScreen = fs.readFileSync(path.join(sandbox.dir, 'state', 'screens', `${id}.txt`), 'utf8');
      assert.ok(finalScreen.includes(lines[lines.length - 1]) && finalScreen.includes('END-OF-PAYLOAD'), `run ${run}: the final screen shows the end`);
    };

    const runs = Array.from({ length: 100 }, (_, i) => i);
    const workers = Array.from({ length: 4 }, async () => {
      for (let run = runs.shift(); run !== undefined; run = runs.shift()) await runOnce(run);
    });
    await Promise.all(workers);
  });

  it('resyncs a viewer that stops reading, without holding up the others', async () => {
    const id = await sandbox.startAgent(['sh', '-c', 'read go; yes superkick-flood-line | head -c 20000000; echo FLOOD-DONE; read x']);
    const slow = await attach(id);
    const fast = await attach(id);
    slow.socket.pause();
    fast.type('go\r');
    await fast.untilOutput('FLOOD-DONE');
    slow.socket.resume();
    await slow.untilOutput('FLOOD-DONE');
    const resyncs = slow.snapshots().filter((s) => s.reason === 'resync');
    assert.ok(resyncs.length >= 1, 'the slow viewer was sent a fresh snapshot');
    assert.ok(slow.outputBytes < 20_000_000, 'and not the bytes it could not take');
    // The flood finished while the slow viewer read nothing: it held up neither the program nor the fast viewer.
    const rss = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${(await sandbox.agent(id)).pid}/status`, 'utf8'))![1]) * 1024;
    assert.ok(rss < 200 * 1024 * 1024, `agent memory stayed bounded (${Math.round(rss / 1048576)} MB)`);
    slow.close();
    fast.close();
    await sandbox.runOk(['stop', id, '--force']);
  });

  it('does not let a viewer that never reads keep an exited agent alive', async () => {
    const id = await sandbox.startAgent(['sh', '-c', 'read go; yes stuck-viewer-line | head -c 5000000; exit 3']);
    const stuck = await attach(id);
    const driver = await attach(id);
    stuck.socket.pause();
    driver.type('go\r');
    const record = await watch.until(id, (r) => r.state === 'exited', 'the agent to exit despite the stuck viewer');
    assert.equal(record.exitCode, 3);
    stuck.close();
    driver.close();
  });

  it('records a running agent on request as asciicast v2 that asciinema plays', async () => {
    const id = await sandbox.startAgent(['bash', '--norc', '--noprofile']);
    await sandbox.runOk(['inject', id, 'echo before-recording']);
    const file = path.join(sandbox.work, 'session.cast');
    const started = await sandbox.runOk(['record', id, '-o', file]);
    assert.match(started, /recording .* to .*session\.cast/);
    await watch.until(id, (r) => r.recording === file, 'recording on');
    const viewer = await attach(id);
    viewer.type('printf "\\033[32mgreen\\033[0m %s\\n" recorded-$((40+2))\r');
    await viewer.untilOutput('recorded-42');
    const resize = await attach(id, { cols: 100, rows: 30 });
    resize.close();
    const stopped = await sandbox.runOk(['record', id, '--stop']);
    assert.match(stopped, /saved .*session\.cast/);

    const { header, events } = readCast(file);
    assert.equal(header.version, 2);
    assert.equal(header.width, 80);
    assert.equal(header.height, 24);
    assert.equal(typeof header.timestamp, 'number');
    let last = 0;
    for (const event of events) {
      assert.equal(event.length, 3);
      assert.ok(typeof event[0] === 'number' && event[0] >= last, 'times never go back');
      assert.ok(['o', 'r'].includes(event[1]));
      assert.equal(typeof event[2], 'string');
      last = event[0];
    }
    assert.match(events[0][2], /before-recording/, 'it opens with the screen as it was');
    assert.ok(events.some((e) => e[1] === 'r' && e[2] === '100x30'));
    assert.ok(events.some((e) => e[1] === 'o' && e[2].includes('recorded-42')));

    // The real player accepts it.
    const player = new TestTerminal('asciinema', ['play', '-s', '20', '-i', '0.01', file], { env: sandbox.env, cwd: sandbox.work });
    assert.equal(await player.waitForExit(), 0);
    assert.match(player.output(), /recorded-42/);
    const cat = new TestTerminal('asciinema', ['cat', file], { env: sandbox.env, cwd: sandbox.work });
    assert.equal(await cat.waitForExit(), 0);
    assert.match(cat.output(), /\x1b\[32mgreen\x1b\[0m recorded-42/);
    viewer.close();
    await sandbox.runOk(['stop', id]);
  });
});
