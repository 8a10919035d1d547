/**
 * `superkick doctor`: every driver, and for each CLI installed here whether
 * Superkick will read it right. It compares the installed version with the one
 * the driver's patterns were taken from, and starts the CLI briefly in a pty
 * (no prompt is sent, so no model is called) to see that its start-up screen
 * still reads as idle. Broken state detection after a CLI update is the most
 * common failure of tools like this; this says so before an agent is stuck.
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import type { Command } from 'commander';
import { DRIVERS, readsScreenState } from '../../drivers';
import { compilePatterns, detectState } from '../../drivers/detectState';
import { corpusFor } from '../../drivers/screenCorpus';
import type { DriverProfile, ScreenState } from '../../drivers/profile';
import { resolveCommand } from '../../common/commandPath';
import { table } from '../format';
import { printJson } from './withHost';

export interface DriverCheck {
  driver: string;
  program: string | null;
  version: string | null;
  observedVersion: string | null;
  /** The exact version the shipped screen corpus was recorded from, if there is one for this driver. */
  corpusVersion: string | null;
  screen: ScreenState | 'no idle screen' | 'exited' | 'not checked' | null;
  verified: string;
  warnings: string[];
}

const VERSION_TIMEOUT_MS = 15_000;

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('check every driver against the agent CLIs installed here')
    .option('--no-launch', 'do not start the CLIs to check their screens')
    .option('--timeout <seconds>', 'how long a CLI may take to show its idle screen', '20')
    .option('--json', 'machine-readable output')
    .action(async (options: { launch: boolean; timeout: string; json?: boolean }) => {
      const timeoutMs = Math.max(1, Number(options.timeout) || 20) * 1000;
      const checks: DriverCheck[] = [];
      for (const driver of DRIVERS) checks.push(await checkDriver(driver, options.launch, timeoutMs));
      if (options.json) printJson(checks);
      else {
        console.log(
          table(
            ['DRIVER', 'PROGRAM', 'VERSION', 'SCREENS RECORDED FROM', 'START-UP SCREEN', 'STATES VERIFIED HERE'],
            checks.map((c) => [c.driver, c.program ?? (c.driver === 'command' ? '(any program)' : 'not installed'), c.version ?? '-', c.corpusVersion ?? c.observedVersion ?? '-', c.screen ?? '-', c.verified]),
          ),
        );
        for (const check of checks) for (const warning of check.warnings) console.log(`warning: ${check.driver}: ${warning}`);
      }
      if (checks.some((check) => check.warnings.length)) process.exitCode = 1;
    });
}

async function checkDriver(driver: DriverProfile, launch: boolean, timeoutMs: number): Promise<DriverCheck> {
  const check: DriverCheck = {
    driver: driver.name,
    program: null,
    version: null,
    observedVersion: driver.observedVersion,
    corpusVersion: corpusFor(driver.name)?.version ?? null,
    screen: null,
    verified: driver.verified.states.length ? driver.verified.states.join(', ') : `none (${driver.verified.note})`,
    warnings: [],
  };
  check.warnings.push(...corpusMisreadings(driver));
  const program = driver.commands.map((name) => resolveCommand(name, process.cwd())).find(Boolean);
  if (!program) return check;
  check.program = program;
  check.version = await programVersion(program);
  if (!check.version) check.warnings.push(`${program} --version gave no version`);
  else if (driver.observedVersion && !sameRelease(check.version, driver.observedVersion)) {
    const from = check.corpusVersion ?? driver.observedVersion;
    check.warnings.push(`installed ${check.version}, but its screens were recorded from ${from}: state detection may be wrong; run an agent and check \`superkick list\``);
  }
  if (!readsScreenState(driver)) return check;
  if (!launch) {
    check.screen = 'not checked';
    return check;
  }
  const seen = await startUpScreen(program, driver, timeoutMs);
  check.screen = seen.state;
  if (seen.state === 'waiting') check.warnings.push('it starts with a prompt up (a trust or sign-in dialog?); agents will wait for a person until it is answered');
  else if (seen.state !== 'idle') check.warnings.push(`its start-up screen did not read as idle (${seen.state}); state detection would be wrong. Last lines:\n${seen.tail}`);
  return check;
}

/** The recorded screens the driver's patterns (as configured) no longer read as their state: a bad pattern override shows here before it strands an agent. */
function corpusMisreadings(driver: DriverProfile): string[] {
  const corpus = corpusFor(driver.name);
  if (!corpus) return [];
  const patterns = compilePatterns(driver.states);
  return corpus.screens
    .filter((screen) => detectState(screen.text, patterns) !== screen.state)
    .map((screen) => `its patterns read the recorded ${corpus.version} screen "${screen.moment}" as ${detectState(screen.text, patterns) ?? 'nothing'}, not ${screen.state}`);
}

function programVersion(program: string): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(program, ['--version'], { timeout: VERSION_TIMEOUT_MS }, (_error, stdout, stderr) => {
      resolve(/\d+\.\d+(?:\.\d+)?(?:[-+][\w.]+)?/.exec(`${stdout}\n${stderr}`)?.[0] ?? null);
    });
  });
}

/** `2.1.7` is the release `2.1` the patterns came from. */
function sameRelease(version: string, observed: string): boolean {
  return version === observed || version.startsWith(`${observed}.`);
}

/** Starts the program in a pty with the driver's screen model and reports the first settled reading. */
async function startUpScreen(program: string, driver: DriverProfile, timeoutMs: number): Promise<{ state: DriverCheck['screen']; tail: string }> {
  const { PtySession } = await import('../../agent/ptySession');
  const { ScreenModel } = await import('../../agent/screenModel');
  return new Promise((resolve) => {
    let finished = false;
    let lastState: ScreenState | undefined;
    let pty: InstanceType<typeof PtySession> | undefined;
    const screen = new ScreenModel(
      { version: 'doctor', cols: 120, rows: 40, scrollback: 0, states: driver.states, idleSettleMs: driver.idleSettleMs },
      {
        reply: (data) => pty?.write(data),
        pause: () => undefined,
        resume: () => undefined,
        state: (state) => {
          lastState = state;
          if (state === 'idle' || state === 'waiting') void finish(state);
        },
      },
      path.join(__dirname, 'screenWorker.js'),
    );
    const finish = async (state: DriverCheck['screen']) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      const snapshot = await screen.snapshot(0);
      // The CLI leads its own session in the pty: end its whole process group, helpers included.
      try {
        if (pty) process.kill(-pty.pid, 'SIGKILL');
      } catch {
        pty?.kill('SIGKILL');
      }
      await screen.close();
      const tail = snapshot.data.replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, '').split(/\r?\n/).filter((line) => line.trim()).slice(-5).map((line) => `    ${line}`).join('\n');
      resolve({ state, tail });
    };
    const timer = setTimeout(() => void finish(lastState ?? 'no idle screen'), timeoutMs);
    pty = new PtySession({
      file: program,
      args: [],
      cwd: process.cwd(),
      env: { ...process.env, TERM: 'xterm-256color' },
      cols: 120,
      rows: 40,
      onData: (data) => screen.write(data),
      onExit: () => void finish('exited'),
    });
  });
}
