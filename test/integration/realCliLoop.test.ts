/**
 * The drivers and the injection queue against the real CLIs from npm (Claude
 * Code, Codex, Gemini), each in a private HOME, talking to a fake model server
 * on 127.0.0.1 — all inside a loopback-only network namespace. Each CLI is
 * launched under Superkick and reaches idle; a prompt goes through the queue,
 * the agent works while the model answers, shows the reply and goes idle
 * again; a multi-line injection arrives as one message; and while a
 * permission prompt is up nothing is typed. Every screen the states are read
 * from must also read that way on a viewer's screen; with
 * SUPERKICK_RECORD_CORPUS=1 they are written to the shipped screen corpus.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Host } from '../../server/src/protocol';
import { driverNamed } from '../../server/src/drivers';
import { compilePatterns, detectState } from '../../server/src/drivers/detectState';
import type { ScreenState } from '../../server/src/drivers/profile';
import type { RecordedScreen, ScreenCorpus } from '../../server/src/drivers/screenCorpus';
import { REPO } from '../helpers/sandbox';
import { HostWatch } from '../helpers/hostWatch';
import { TestViewer } from '../helpers/testViewer';
import { ViewerScreen } from '../helpers/viewerScreen';
import { REAL_CLI_PACKAGES } from '../helpers/realClis';
import { describeWithRealClis, RealCliWorld } from '../helpers/realCliWorld';
import { FakeModelServer } from '../fakes/models/fakeModelServer';
import type { Turn } from '../fakes/models/reply';

/** Real CLIs take seconds to start and to answer; these are deadlines for events, not timings. */
const CLI_DEADLINE_MS = 120_000;
const COLS = 120;
const ROWS = 40;

const CLIS: Array<{ program: string; vendor: Turn['vendor'] }> = [
  { program: 'claude', vendor: 'anthropic' },
  { program: 'codex', vendor: 'openai' },
  { program: 'gemini', vendor: 'gemini' },
];

describeWithRealClis('real agent CLIs', __filename, () => {
  const world = new RealCliWorld();
  const { sandbox } = world;
  let fake: FakeModelServer;
  let watch: HostWatch;
  let env: NodeJS.ProcessEnv;
  before(() => ({ fake, watch, env } = world));


  it('doctor reads their start-up screens as idle', async () => {
    const result = await sandbox.run(['doctor', '--json', '--timeout', '60'], { env });
    const checks = JSON.parse(result.stdout) as Array<{ driver: string; version: string | null; screen: string | null; warnings: string[] }>;
    for (const { program } of CLIS) {
      const check = checks.find((c) => c.driver === program)!;
      assert.equal(check.screen, 'idle', `${program} ${check.version}: ${check.warnings.join('; ')}`);
      assert.deepEqual(check.warnings, [], program);
    }
  });

  for (const { program, vendor } of CLIS) {
    describe(program, () => {
      const patterns = compilePatterns(driverNamed(program).states);
      const recorded: RecordedScreen[] = [];
      let id: string;
      let viewer: TestViewer;
      let screen: ViewerScreen;

      /** Waits until a viewer's screen reads as `state` with the driver's patterns too, and keeps that screen for the corpus. */
      const screenReads = async (state: ScreenState, moment: string) => {
        const text = await screen.until((t) => detectState(t, patterns) === state, `a screen that reads as ${state}`, CLI_DEADLINE_MS);
        recorded.push({ state, moment, text: text.split(sandbox.work).join('~/project').replace(/\s+$/, '') });
      };
      /** Injects through the queue; the model's turn must hold exactly what was typed, and its reply must show. */
      const ask = async (text: string, marker: string) => {
        const from = fake.turns.length;
        await sandbox.runOk(['inject', id, text], { env });
        const turn = await fake.turn(vendor, (t) => t.userText.includes(marker), `a turn with ${marker}`, from);
        await screen.until(new RegExp(`FAKE-REPLY to ${marker}`), `the reply to ${marker}`, CLI_DEADLINE_MS);
        await watch.until(id, (r) => r.state === 'idle', 'idle after the reply', CLI_DEADLINE_MS);
        return turn;
      };

      before(async () => {
        id = await sandbox.startAgent([program], ['--name', `${program}-loop`], { env });
        const resolved = await watch.connection.sendRequest(Host.ResolveAgent.type, { agent: id });
        // A viewer that may type sizes the agent: the same size for every CLI and every recorded screen.
        viewer = await TestViewer.connect(resolved.record.attachSocket!, resolved.attachToken!, { cols: COLS, rows: ROWS });
        screen = new ViewerScreen(viewer, COLS, ROWS);
      });
      after(async () => {
        screen?.close();
        viewer?.close();
        await sandbox.run(['stop', id, '--force'], { env });
        if (process.env.SUPERKICK_RECORD_CORPUS === '1') writeCorpus(program, recorded, env);
      });

      it('starts idle, with the driver chosen from the command name', async () => {
        await watch.until(id, (r) => r.state === 'idle', 'idle after start-up', CLI_DEADLINE_MS);
        assert.equal(watch.agents.get(id)?.driver, program);
        await screenReads('idle', 'after start-up');
      });

      it('works while the model answers, shows the reply and goes idle again', async () => {
        const held = fake.hold(vendor);
        await sandbox.runOk(['inject', id, 'Hello-one, please answer.'], { env });
        const turn = await fake.turn(vendor, (t) => t.userText.includes('Hello-one'), 'the prompt');
        assert.equal(turn.userText.trim(), 'Hello-one, please answer.', 'exactly what was queued, submitted once');
        await watch.until(id, (r) => r.state === 'working', 'working while the model answers', CLI_DEADLINE_MS);
        await screenReads('working', 'while the model answers');
        held.release();
        await screen.until(/FAKE-REPLY to Hello-one/, 'the reply', CLI_DEADLINE_MS);
        await watch.until(id, (r) => r.state === 'idle', 'idle after the reply', CLI_DEADLINE_MS);
        await screenReads('idle', 'after a reply');
      });

      it('gets a multi-line injection as one message', async () => {
        const turn = await ask('Multi-one starts here\nsecond line\nthird line', 'Multi-one');
        assert.match(turn.userText, /Multi-one starts here\r?\nsecond line\r?\nthird line/);
        assert.equal(fake.turns.filter((t) => t.vendor === vendor && t.userText.includes('second line')).length, 1, 'one turn, not one per line');
      });

      it('types nothing while a permission prompt is up', async () => {
        const marker = path.join(sandbox.work, `${program}-approved`);
        await sandbox.runOk(['inject', id, `RUN-TOOL: touch ${marker}`], { env });
        await watch.until(id, (r) => r.state === 'waiting', 'the permission prompt', CLI_DEADLINE_MS);
        await screenReads('waiting', 'a permission prompt for a shell command');
        const queued = JSON.parse(await sandbox.runOk(['inject', id, '--json', 'Queued-one while the prompt is up'], { env })) as Host.InjectAgent.Result;
        assert.equal(queued.queued, true, 'a waiting agent gets nothing typed');
        const held = JSON.parse(await sandbox.runOk(['queue', id, '--json'], { env })) as Host.QueuedMessage[];
        assert.deepEqual(held.map((m) => m.text), ['Queued-one while the prompt is up']);
        assert.equal(watch.agents.get(id)?.state, 'waiting');
        // The person declines; only then may the queued message go in, as its own turn.
        await sandbox.runOk(['inject', id, '--now', '--no-submit', '\x1b'], { env });
        const turn = await fake.turn(vendor, (t) => t.userText.includes('Queued-one'), 'the queued message as its own turn');
        // Claude Code puts its own note about the interruption before it; what was typed is the message's last line, alone.
        assert.match(turn.userText.trim(), /(^|\n)Queued-one while the prompt is up$/);
        assert.ok(!turn.userText.includes('RUN-TOOL'), 'typed nowhere near the prompt');
        assert.ok(!fs.existsSync(marker), 'the command was never approved');
      });
    });
  }
});

/** Writes what was seen into the shipped corpus (server/src/drivers/corpus/<driver>.json). */
function writeCorpus(driver: string, screens: RecordedScreen[], env: NodeJS.ProcessEnv): void {
  const spec = REAL_CLI_PACKAGES.find((name) => name.includes(driver === 'claude' ? 'claude-code' : `${driver}`))!;
  const version = /\d+\.\d+\.\d+/.exec(execFileSync(driver, ['--version'], { env, encoding: 'utf8' }))![0];
  const corpus: ScreenCorpus = { driver, program: spec.replace(/@[^@/]*$/, ''), version, cols: COLS, rows: ROWS, screens };
  fs.writeFileSync(path.join(REPO, 'server', 'src', 'drivers', 'corpus', `${driver}.json`), `${JSON.stringify(corpus, null, 2)}\n`);
}
