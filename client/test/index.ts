/**
 * The entry VS Code runs as `extensionTestsPath` (scripts/vscode-test/run.mjs
 * bundles it with the test files). Mocha runs inside the extension host.
 * The first run is the main suite; if it passes, the window is reloaded for
 * real and the same entry runs again as the after-reload phase
 * (reloadHandoff.ts). Its exit code is the window's: the runner exits with it.
 * With the packaged extension installed (`run.mjs --vsix`), one smoke suite runs instead.
 */
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { currentPhase, markReloading } from './reloadHandoff';

/** Test files, as loaders so that each is evaluated after Mocha has set up its `suite`/`test`. */
export type TestFiles = Record<'beforeReload' | 'afterReload' | 'vsix', Array<() => unknown>>;

export async function runTests(files: TestFiles): Promise<void> {
  if (process.env.SUPERKICK_TEST_PLAN === 'vsix') {
    console.log('superkick: extension tests of the installed .vsix');
    const failures = await runMocha(files.vsix);
    if (failures > 0) throw new Error(`${failures} .vsix smoke test(s) failed`);
    return;
  }
  const phase = currentPhase();
  console.log(`superkick: extension tests, ${phase} phase`);
  const failures = await runMocha(phase === 'before-reload' ? files.beforeReload : files.afterReload);
  if (failures > 0) throw new Error(`${failures} extension test(s) failed (${phase})`);
  if (phase === 'after-reload') return;
  markReloading();
  await vscode.commands.executeCommand('workbench.action.reloadWindow');
  // The reload ends this extension host; resolving would end the run before the second phase.
  await new Promise<never>(() => undefined);
}

function runMocha(files: Array<() => unknown>): Promise<number> {
  // SUPERKICK_TEST_GREP (passed on by the runner) runs only the matching tests, while working on one.
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, ...(process.env.SUPERKICK_TEST_GREP ? { grep: process.env.SUPERKICK_TEST_GREP } : {}) });
  mocha.suite.emit('pre-require', globalThis, 'superkick-extension-tests', mocha);
  for (const load of files) load();
  return new Promise((resolve) => mocha.run(resolve));
}
