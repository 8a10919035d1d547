/**
 * The agent process: one per agent, detached from any terminal. It owns the
 * program's pty, relays its output to viewers first, and beside that feeds the
 * screen model, the output log and the recording. It outlives the host, the
 * editor and every viewer.
 */
import * as path from 'node:path';
import type { AgentLink } from '../protocol';
import type { AgentSpec, AgentState } from '../protocol';
import { agentSocketPath, superkickPaths } from '../common/paths';
import { fileLogger } from '../common/logger';
import { writeFileAtomic } from '../common/atomicFile';
import { resolveCommand } from '../common/commandPath';
import { signalReady } from '../common/readyPipe';
import { OutputLogWriter } from '../common/outputLog';
import { ensureDir } from '../common/secureDir';
import { ScreenModel } from './screenModel';
import { AttachServer } from './attachServer';
import { PtySession, type PtyExit } from './ptySession';
import { AsciicastRecorder } from './recorder';
import { HostLink } from './hostLink';
import { Typist } from './typist';
import { VERSION } from '../common/version';
import { AGENT_ENV, withoutAgentProcessMallocEnv } from './agentEnv';
import { driverNamed, readsScreenState } from '../drivers';
import { applyDriverOverride } from '../drivers/overrides';
import { statesWithMcpHandedOff } from '../drivers/mcpHandOff';
import { launchWithMcp, mcpReadyPath } from './mcpLaunch';
import { McpGate } from './mcpGate';
import { usageLaunch } from '../cost/usageLaunch';
import { UsageWatcher } from '../cost/usageWatcher';
import { UsageClaims } from '../cost/usageClaims';

/** The screen model keeps at most this much scrollback; deeper history is in the output log. */
export const SCREEN_SCROLLBACK_LIMIT = 1000;
/** After a polite SIGHUP, a program that is still running gets SIGKILL. */
const STOP_GRACE_MS = 3_000;


export async function runAgentProcess(): Promise<void> {
  const id = process.env[AGENT_ENV.id];
  const token = process.env[AGENT_ENV.token];
  const specText = process.env[AGENT_ENV.spec];
  if (!id || !token || !specText) {
    signalReady({ ok: false, error: 'the agent process needs SUPERKICK_AGENT_ID, SUPERKICK_AGENT_TOKEN and SUPERKICK_AGENT_SPEC', exitCode: 2 });
    process.exit(2);
  }
  const spec = JSON.parse(specText) as AgentSpec;
  const paths = superkickPaths();
  ensureDir(paths.agentLogs);
  const log = fileLogger(path.join(paths.agentLogs, `${id}.agent.log`));
  const createdAt = new Date().toISOString();

  const childEnv: NodeJS.ProcessEnv = { ...withoutAgentProcessMallocEnv(process.env), TERM: process.env.TERM || 'xterm-256color', SUPERKICK_DIR: paths.root };
  delete childEnv[AGENT_ENV.spec];
  const file = resolveCommand(spec.command, spec.cwd, childEnv.PATH);
  if (!file) {
    signalReady({ ok: false, error: `command not found: ${spec.command}`, exitCode: 127 });
    writeExitFile(paths.exits, id, { exitCode: 127, signal: null, finalScreen: '', exitedAt: new Date().toISOString() });
    process.exit(127);
  }

  let state: AgentState = 'starting';
  /** When `state` began: the host keys notifications by episode, so it must survive a host restart. */
  let stateSince = new Date().toISOString();
  const setState = (next: AgentState) => {
    if (next === state) return;
    state = next;
    stateSince = new Date().toISOString();
  };
  // The current size: a viewer may attach (and size the agent) before the pty exists, which then starts at it.
  let cols = spec.cols;
  let rows = spec.rows;
  let recorder: AsciicastRecorder | undefined;
  /** Output held while a recording waits for its opening snapshot. */
  let recordingHold: Buffer[] | undefined;
  let pty: PtySession | undefined;
  const scrollback = Math.min(spec.history, SCREEN_SCROLLBACK_LIMIT);

  // The workspace's `drivers:` entry, as it was when the agent was created.
  const driver = applyDriverOverride(driverNamed(spec.driver), spec.driverOverride);
  const usageClaims = new UsageClaims(paths.usageClaims, id);
  // Options go to the program only when it is the driver's CLI itself (or the person said so with --mcp):
  // put before a wrapper's or an interpreter's arguments (`python3 fake.py`, `npx …`), they would be its own.
  const isTheCli = spec.mcp ?? driver.commands.includes(path.basename(spec.command));
  if (!isTheCli && driver.mcp !== 'none') log.info('agent', `${spec.command} is not ${driver.name}'s own program; its arguments are left as they are (no MCP hand-off; --mcp to hand it anyway)`);
  const mcp = isTheCli ? launchWithMcp(driver, paths, id, childEnv, (message) => log.warn('agent.mcp', message)) : { args: [], env: {} };
  const handedOff = mcp.args.length > 0 || Object.keys(mcp.env).length > 0;
  // Read with the environment the program gets: the MCP hand-off may give it a home of its own (Gemini's overlay).
  const usage = usageLaunch(driver.usage, { args: spec.args, cwd: spec.cwd, env: { ...childEnv, ...mcp.env }, startedAt: Date.now(), claim: (file) => usageClaims.claim(file), addArgs: isTheCli });
  /** The state the screen shows; `state` is what the host is told (an idle screen waits for the MCP server: mcpGate.ts). */
  let screenState: AgentState = 'starting';
  const mcpGate = handedOff
    ? new McpGate(mcpReadyPath(paths, id), () => {
        if (screenState === 'idle' && state !== 'exited') {
          setState('idle');
          status();
        }
      }, log)
    : undefined;
  const screen = new ScreenModel(
    { version: VERSION, cols, rows, scrollback, states: handedOff ? statesWithMcpHandedOff(driver) : driver.states, idleSettleMs: driver.idleSettleMs },
    {
      reply: (data) => pty?.write(data),
      pause: () => pty?.pause(),
      resume: () => pty?.resume(),
      state: (next) => {
        if (state === 'exited') return;
        screenState = next;
        setState(next === 'idle' && mcpGate && !mcpGate.open ? 'starting' : next);
        status();
      },
    },
  );
  const status = () => link.status({ state, viewers: attach.viewerCount, recording: recorder?.file ?? null, stateSince });
  const attach = new AttachServer({
    socketPath: agentSocketPath(paths, id),
    token,
    screen,
    scrollback,
    log,
    onInput: (data) => {
      pty?.write(data);
      typist.personTyped(data);
    },
    onResize: (newCols, newRows) => {
      cols = newCols;
      rows = newRows;
      pty?.resize(cols, rows);
      screen.resize(cols, rows);
      recorder?.resize(cols, rows);
    },
    onViewersChanged: () => status(),
  });
  const outputLog = new OutputLogWriter(paths.agentLogs, id);

  const startRecording = async (file: string) => {
    if (recorder || recordingHold) throw new Error(`agent ${id} is already being recorded${recorder ? ` to ${recorder.file}` : ''}`);
    recordingHold = [];
    const snapshot = await screen.snapshot(0);
    const next = new AsciicastRecorder(file, snapshot.cols, snapshot.rows, { command: [spec.command, ...spec.args].join(' '), title: spec.name, initialScreen: snapshot.data });
    for (const chunk of recordingHold) next.output(chunk);
    recordingHold = undefined;
    recorder = next;
    status();
  };
  const stopRecording = async (): Promise<string | null> => {
    const current = recorder;
    recorder = undefined;
    await current?.close();
    status();
    return current?.file ?? null;
  };

  const typist = new Typist((data) => pty?.write(data), screen, { enterDelayMs: driver.enterDelayMs });

  const relay = (data: Buffer) => {
    attach.output(data);
    typist.output();
    screen.write(data);
    outputLog.write(data);
    if (recordingHold) recordingHold.push(data);
    else recorder?.output(data);
  };

  let stopTimer: NodeJS.Timeout | undefined;
  const terminate = (force: boolean) => {
    if (!pty) return;
    if (force) {
      pty.kill('SIGKILL');
      return;
    }
    pty.kill('SIGHUP');
    stopTimer ??= setTimeout(() => pty?.kill('SIGKILL'), STOP_GRACE_MS);
  };

  const onExit = async (exit: PtyExit) => {
    clearTimeout(stopTimer);
    mcpGate?.close();
    setState('exited');
    const exitedAt = new Date().toISOString();
    log.info('agent', `program exited with code ${exit.exitCode}${exit.signal ? `, signal ${exit.signal}` : ''}`);
    const final = await screen.snapshot(scrollback);
    await attach.finish({ exitCode: exit.exitCode, signal: exit.signal });
    await Promise.all([outputLog.close(), stopRecording()]);
    await usageWatcher?.finish();
    usageClaims.release();
    const report: AgentLink.AgentExited.Params = { exitCode: exit.exitCode, signal: exit.signal, finalScreen: final.data, exitedAt };
    if (!(await link.exited(report))) writeExitFile(paths.exits, id, report);
    link.close();
    await screen.close();
    process.exit(0);
  };

  const link = new HostLink(
    paths.hostSocket,
    token,
    {
      registration: () => ({
        id,
        spec,
        pid: process.pid,
        childPid: pty?.pid ?? null,
        state,
        viewers: attach.viewerCount,
        attachSocket: agentSocketPath(paths, id),
        recording: recorder?.file ?? null,
        createdAt,
        stateSince,
      }),
      input: ({ text, submit, queued }) => typist.type(text, submit, queued),
      terminate: ({ force }) => terminate(force),
      record: async ({ stop, path: file }) => (stop ? { path: await stopRecording() } : (await startRecording(file), { path: file })),
      bell: () => attach.bell(),
      registered: () => usageWatcher?.reconnected(),
    },
    log,
  );
  const usageWatcher = usage.reader ? new UsageWatcher(usage.reader, (params) => link.reportUsage(params), log) : undefined;

  try {
    await attach.listen();
    // The user's arguments, with the usage session id (cost) and then the MCP hand-off before them.
    // The MCP hand-off, then the usage reader's session id, then what the person typed.
    pty = new PtySession({ file, args: [...mcp.args, ...usage.args], cwd: spec.cwd, env: { ...childEnv, ...mcp.env, [AGENT_ENV.id]: id, [AGENT_ENV.token]: token }, cols, rows, onData: relay, onExit: (exit) => void onExit(exit) });
  } catch (error) {
    signalReady({ ok: false, error: `could not start ${spec.command}: ${(error as Error).message}`, exitCode: 1 });
    process.exit(1);
  }
  if (spec.record) await startRecording(path.join(paths.recordings, `${id}.cast`));
  // A driver that reads the screen says when the program is ready; any other program is working while it runs.
  if (!readsScreenState(driver)) setState('working');
  link.start();
  usageWatcher?.start();
  process.on('SIGTERM', () => terminate(false));
  process.on('SIGHUP', () => undefined); // Detached already; a closing terminal is not ours to obey.
  signalReady({ ok: true, pid: process.pid, socket: agentSocketPath(paths, id) });
  log.info('agent', `started ${spec.command} (pid ${pty.pid}) in ${spec.cwd}`);
}

function writeExitFile(dir: string, id: string, report: AgentLink.AgentExited.Params): void {
  try {
    ensureDir(dir);
    writeFileAtomic(path.join(dir, `${id}.json`), JSON.stringify(report));
  } catch {
    // Nowhere to leave it: the host will mark the agent exited with an unknown code.
  }
}
