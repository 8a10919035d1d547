// Runs the extension's tests (client/test) inside a real VS Code: code-server's VS Code server with a
// headless Chromium as the workbench, all of it offline in a loopback-only network namespace.
// See /work/shared/docs/VSCODE-TESTS.md for why this shape, and README "Testing the extension".
//
//   node scripts/vscode-test/run.mjs                 the tests (npm run test:vscode)
//   node scripts/vscode-test/run.mjs --screenshots   PNGs of the workbench into docs/screenshots/
//   node scripts/vscode-test/run.mjs --vsix FILE     the packaged extension installed, one smoke suite
//
// The outer run installs (cached), builds, bundles the tests and makes the temp folders; the inner
// run (`--inside`, in `unshare -rnpf`: its own network and pid namespaces) starts code-server and
// Chromium and exits with the tests' code. When the inner run ends, the kernel ends every process
// of its pid namespace: the Superkick host and agents the extension started go with it.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const NODE_VERSION = '24.21.0';
const CODE_SERVER_VERSION = '4.139.1';
const PLAYWRIGHT_VERSION = '1.65.1';
const CHROMIUM = '/usr/bin/chromium';
/** A whole run (both phases, or the screenshots) past this is a hang: it fails and says so. */
const RUN_DEADLINE_MS = 5 * 60_000;
/** The first word from the workbench's logger; none means the tests will never start. */
const FIRST_LOG_DEADLINE_MS = 120_000;
const SERVER_START_DEADLINE_MS = 90_000;
const SCREENSHOT_MAX_BYTES = 300 * 1024;
const OFFLINE_NOISE = /getaddrinfo (EAI_AGAIN|ENOTFOUND)|\[AccountPolicyGate\]/;

/** Set by `inside` once there is something to close before exiting. */
let exitNow = (code) => process.exit(code);

const args = process.argv.slice(2);
if (args[0] === '--inside') await inside(JSON.parse(fs.readFileSync(args[1], 'utf8')));
else await outside(parseArgs(args));

function parseArgs(list) {
  const options = { mode: 'tests', vsix: null, build: true };
  for (let i = 0; i < list.length; i += 1) {
    if (list[i] === '--screenshots') options.mode = 'screenshots';
    else if (list[i] === '--vsix') {
      options.mode = 'vsix';
      options.vsix = path.resolve(list[++i] ?? fail('--vsix needs the .vsix file'));
      if (!fs.existsSync(options.vsix)) fail(`${options.vsix} does not exist: run npm run package first`);
    } else if (list[i] === '--no-build') options.build = false;
    else fail(`unknown option ${list[i]} (use --screenshots, --vsix FILE or --no-build)`);
  }
  return options;
}

function fail(message) {
  console.error(`test:vscode: ${message}`);
  process.exit(1);
}

function step(message) {
  console.error(`test:vscode: ${message}`);
}

async function outside(options) {
  const started = Date.now();
  const cache = execFileSync('bash', [path.join(REPO, 'scripts/vscode-test/install.sh')], { stdio: ['ignore', 'pipe', 'inherit'] }).toString().trim().split('\n').pop();
  const installs = {
    node: path.join(cache, `node-${NODE_VERSION}`, 'bin', 'node'),
    codeServer: path.join(cache, `code-server-${CODE_SERVER_VERSION}-node-${NODE_VERSION}`, 'node_modules', 'code-server'),
    playwright: path.join(cache, `playwright-core-${PLAYWRIGHT_VERSION}`, 'node_modules', 'playwright-core'),
  };
  if (options.build) execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO, stdio: 'inherit' });
  for (const built of ['dist/extension.js', 'dist/cli.js']) if (!fs.existsSync(path.join(REPO, built))) fail(`${built} is missing: run npm run build`);
  const bundle = await bundleTests();

  // Short: the host's Unix sockets live under SUPERKICK_DIR, and socket paths stop at about 100 bytes.
  const root = fs.mkdtempSync('/tmp/skv-');
  const dirs = Object.fromEntries(['sk', 'home', 'state', 'userData', 'extensions', 'xdgConfig', 'xdgData', 'tmp'].map((name) => [name, path.join(root, name)]));
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const workspace = makeWorkspace(path.join(root, 'ws'));
  writeUserSettings(dirs.userData);
  if (options.vsix) installVsix(installs, options.vsix, dirs);

  const config = { mode: options.mode, repo: REPO, installs, bundle, workspace, dirs, screenshotsDir: path.join(REPO, 'docs', 'screenshots') };
  const configFile = path.join(root, 'run.json');
  fs.writeFileSync(configFile, JSON.stringify(config));
  step(`${options.mode}: code-server ${CODE_SERVER_VERSION}, Chromium, workspace ${workspace}, SUPERKICK_DIR ${dirs.sk}`);

  // Bash stays pid 1 of the new namespace (it reaps the daemons that outlive their parents); when it ends, so does everything in it.
  const inner = spawn('unshare', ['-rnpf', '--mount-proc', '--kill-child', 'bash', '-c', 'ip link set lo up && "$0" "$1" --inside "$2"', process.execPath, fileURLToPath(import.meta.url), configFile], { stdio: 'inherit' });
  // Interrupted (Ctrl-C, a CI timeout): end the namespace, and with it everything started inside, and clean up.
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      inner.kill('SIGKILL');
      fs.rmSync(root, { recursive: true, force: true });
      process.exit(128 + os.constants.signals[signal]);
    });
  }
  const hardStop = setTimeout(() => {
    console.error(`test:vscode: the run did not end within ${(RUN_DEADLINE_MS + 60_000) / 1000} s; stopping it`);
    inner.kill('SIGKILL');
  }, RUN_DEADLINE_MS + 60_000);
  const code = await new Promise((resolve) => inner.on('close', (exitCode, signal) => resolve(exitCode ?? (signal ? 128 : 1))));
  clearTimeout(hardStop);
  if (code !== 0) printSuperkickLogs(dirs.sk);
  fs.rmSync(root, { recursive: true, force: true });
  step(`${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.exit(code);
}

/** After a failure: the end of the host's and the agents' logs, which the extension host's console does not show. */
function printSuperkickLogs(superkickDir) {
  const files = [];
  const walk = (dir) => {
    for (const entry of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.log')) files.push(full);
    }
  };
  walk(path.join(superkickDir, 'logs'));
  for (const file of files) {
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    console.error(`---- ${path.relative(superkickDir, file)} (last ${Math.min(lines.length, 30)} of ${lines.length} lines)\n${lines.slice(-30).join('\n')}`);
  }
}

/**
 * One CommonJS bundle of client/test: `vscode` is the extension host's, Mocha is loaded from the
 * repository's node_modules (hence the bundle's place under the repository). Each test file is
 * a loader, evaluated after Mocha has set up `suite`/`test`.
 */
async function bundleTests() {
  const { build } = await import('esbuild');
  const loaders = (folder) =>
    fs
      .readdirSync(path.join(REPO, 'client/test', folder))
      .filter((file) => file.endsWith('.test.ts'))
      .sort()
      .map((file) => `() => require(${JSON.stringify(`./client/test/${folder}/${file}`)})`)
      .join(', ');
  const contents = [
    `const { runTests } = require('./client/test/index.ts');`,
    `exports.run = () => runTests({ beforeReload: [${loaders('suite')}], afterReload: [${loaders('afterReload')}], vsix: [${loaders('vsix')}] });`,
    `exports.runScreenshots = () => require('./client/test/screenshots.ts').stageScreenshots();`,
  ].join('\n');
  const outfile = path.join(REPO, '.superkick-test', 'vscode', 'extension-tests.js');
  await build({
    stdin: { contents, resolveDir: REPO, sourcefile: 'extension-tests-entry.js', loader: 'js' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    outfile,
    logLevel: 'warning',
  });
  // VS Code loads `extensionTestsPath` and calls its `run`; each mode gets a file of its own.
  const entries = {
    tests: outfile,
    screenshots: writeEntry(outfile, 'screenshots.js', 'module.exports.run = () => require("./extension-tests.js").runScreenshots();'),
  };
  return entries;
}

function writeEntry(bundle, name, text) {
  const file = path.join(path.dirname(bundle), name);
  fs.writeFileSync(file, `${text}\n`);
  return file;
}

/** A git repository with a valid superkick.yml: what activates the extension. */
function makeWorkspace(dir) {
  fs.mkdirSync(dir, { recursive: true });
  execFileSync('git', ['init', '-q', '-b', 'main', dir]);
  fs.writeFileSync(path.join(dir, 'superkick.yml'), '# Superkick settings for this repository (see docs/configuration.md)\nbudget:\n  daily_usd: 5\n');
  fs.writeFileSync(path.join(dir, 'README.md'), '# demo\n\nA repository the extension tests open.\n');
  return fs.realpathSync(dir);
}

function writeUserSettings(userData) {
  const settings = {
    // The system Node that built node-pty; never code-server's Node 24.
    'superkick.nodePath': process.execPath,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'security.workspace.trust.enabled': false,
    'chat.disableAIFeatures': true,
    'workbench.colorTheme': 'Default Dark Modern',
    'window.commandCenter': false,
  };
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
}

function installVsix(installs, vsix, dirs) {
  step(`installing ${path.basename(vsix)} into a fresh extensions folder`);
  execFileSync(installs.node, [path.join(installs.codeServer, 'out/node/entry.js'), '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, '--install-extension', vsix], {
    env: { ...process.env, HOME: dirs.home, XDG_CONFIG_HOME: dirs.xdgConfig, XDG_DATA_HOME: dirs.xdgData },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

// ---- inside the namespace ----

async function inside(config) {
  const { dirs } = config;
  process.env.TMPDIR = dirs.tmp;
  const port = await freePort();
  const server = startCodeServer(config, port);
  let exitCode = 1;
  let browser;
  exitNow = (code) => {
    server.stop();
    process.exit(code);
  };
  try {
    await server.listening;
    browser = await launchChromium(config);
    exitCode = config.mode === 'screenshots' ? await takeScreenshots(config, browser, port) : await runTests(config, browser, port);
  } catch (error) {
    console.error(`test:vscode: ${error.message}`);
    console.error(`test:vscode: the last lines of code-server's log:\n${server.tail()}`);
  } finally {
    await browser?.close().catch(() => undefined);
    server.stop();
  }
  process.exit(exitCode);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function startCodeServer(config, port) {
  const { dirs } = config;
  const env = {
    ...process.env,
    HOME: dirs.home,
    SUPERKICK_DIR: dirs.sk,
    SUPERKICK_TEST_STATE: dirs.state,
    SUPERKICK_TEST_PLAN: config.mode,
    SUPERKICK_TEST_EXTENSIONS: dirs.extensions,
    XDG_CONFIG_HOME: dirs.xdgConfig,
    XDG_DATA_HOME: dirs.xdgData,
    // The extension host inherits this; the system Node (first on PATH) is what the extension's host runs on.
    PATH: `${path.dirname(process.execPath)}:${process.env.PATH}`,
  };
  delete env.NODE_OPTIONS;
  const codeServerArgs = [
    path.join(config.installs.codeServer, 'out/node/entry.js'),
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir', dirs.userData,
    '--extensions-dir', dirs.extensions,
    // Without it the workbench ignores the `payload` that names the tests.
    '--vscode-option', 'enable-smoke-test-driver',
  ];
  // Its own process group (setsid), ended as one: code-server leaves helpers behind otherwise.
  const child = spawn(config.installs.node, codeServerArgs, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = [];
  const listening = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not listen within ${SERVER_START_DEADLINE_MS / 1000} s`)), SERVER_START_DEADLINE_MS);
    const onLine = (line) => {
      log.push(line);
      if (log.length > 200) log.shift();
      if (/HTTP server listening on/.test(line)) {
        clearTimeout(timer);
        resolve();
      }
    };
    for (const stream of [child.stdout, child.stderr]) {
      let partial = '';
      stream.on('data', (chunk) => {
        const lines = (partial + chunk.toString('utf8')).split('\n');
        partial = lines.pop();
        lines.forEach(onLine);
      });
    }
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited (${signal ?? code}) before it listened`));
    });
  }).then(async () => {
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    if (!health.ok) throw new Error(`code-server's /healthz answered ${health.status}`);
  });
  return {
    listening,
    tail: () => log.slice(-40).join('\n'),
    stop: () => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    },
  };
}

async function launchChromium(config) {
  const require = createRequire(path.join(config.installs.playwright, 'package.json'));
  const { chromium } = require(config.installs.playwright);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Root has no sandbox here; playwright passes --no-sandbox when this is false.
    chromiumSandbox: false,
    args: ['--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** The workbench URL that opens the workspace and runs `testsFile` in the extension host. */
function workbenchUrl(config, port, testsFile) {
  const remote = (file) => `vscode-remote://127.0.0.1:${port}${file}`;
  // The workbench runs `extensionTestsPath` only for an extension under development: the repository,
  // or with --vsix the folder the .vsix was installed into (so what runs is what the .vsix holds).
  const extension = config.mode === 'vsix' ? installedExtension(config.dirs.extensions) : config.repo;
  const payload = [
    ['extensionDevelopmentPath', remote(extension)],
    ['extensionTestsPath', remote(testsFile)],
  ];
  return `http://127.0.0.1:${port}/?folder=${encodeURIComponent(config.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

function installedExtension(extensionsDir) {
  const folder = fs.readdirSync(extensionsDir).find((name) => name.startsWith('superkick.superkick-'));
  if (!folder) throw new Error(`the .vsix did not install into ${extensionsDir}`);
  return path.join(extensionsDir, folder);
}

/**
 * Opens the workbench and resolves with the code the tests hand to `codeAutomationExit`. The
 * extension host's console (Mocha's report among it) comes through `codeAutomationLog`.
 */
async function openWorkbench(config, browser, port, testsFile, onLog = () => undefined) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  let loads = 0;
  page.on('load', () => {
    loads += 1;
    if (loads > 1) step(`the window reloaded (load ${loads})`);
  });
  page.on('pageerror', (error) => console.error(`[page error] ${error.message}`));
  const exited = new Promise((resolve) => {
    void page.exposeFunction('codeAutomationExit', (code) => resolve(Number(code)));
  });
  let firstLog;
  const heard = new Promise((resolve) => (firstLog = resolve));
  const silence = setTimeout(() => {
    console.error(
      `test:vscode: no word from the workbench within ${FIRST_LOG_DEADLINE_MS / 1000} s: the tests never started ` +
        '(the workbench honours `payload` only with --vscode-option enable-smoke-test-driver and an extensionDevelopmentPath)',
    );
    exitNow(1);
  }, FIRST_LOG_DEADLINE_MS);
  void heard.then(() => clearTimeout(silence));
  await page.exposeFunction('codeAutomationLog', (type, logArgs) => {
    firstLog();
    const text = format(...(Array.isArray(logArgs) ? logArgs : [logArgs]));
    // Offline, VS Code's gallery lookups fail with a stack each time: expected, and nothing to do with the tests.
    if (OFFLINE_NOISE.test(text)) return;
    onLog(text);
    for (const line of text.split('\n')) console.log(`${type === 'error' ? '[ext host error] ' : ''}${line}`);
  });
  await page.goto(workbenchUrl(config, port, testsFile));
  return { page, exited, loads: () => loads };
}

function deadline(promise, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`gave up after ${RUN_DEADLINE_MS / 1000} s waiting for ${what}`)), RUN_DEADLINE_MS);
    }),
  ]);
}

async function runTests(config, browser, port) {
  const workbench = await openWorkbench(config, browser, port, config.bundle.tests);
  const code = await deadline(workbench.exited, 'the extension tests to finish (their log is above)');
  // The main suite passes only by reloading the window; a pass without that second load ran one phase.
  if (code === 0 && config.mode === 'tests' && workbench.loads() < 2) {
    console.error('test:vscode: the tests passed but the window never reloaded: the after-reload phase did not run');
    return 1;
  }
  return code;
}

/**
 * The screenshots' scene is staged by client/test/screenshots.ts inside the extension host; it
 * says `superkick-screenshot <name>` when a view is ready and waits for `<name>.done` in the
 * state folder, which is written here once the PNG is saved.
 */
async function takeScreenshots(config, browser, port) {
  fs.mkdirSync(config.screenshotsDir, { recursive: true });
  const pending = [];
  let page;
  const workbench = await openWorkbench(config, browser, port, config.bundle.screenshots, (text) => {
    const match = /superkick-screenshot (\S+) (.+)/.exec(text);
    if (match) pending.push(capture(match[1], match[2]));
  });
  page = workbench.page;
  async function capture(name, visibleText) {
    const file = path.join(config.screenshotsDir, `${name}.png`);
    // The scene's last change has reached the extension host; this waits until the workbench has drawn it too.
    await page.getByText(visibleText).first().waitFor({ state: 'visible', timeout: 30_000 });
    await page.mouse.move(0, 0);
    await page.screenshot({ path: file, type: 'png' });
    const size = fs.statSync(file).size;
    step(`saved ${path.relative(config.repo, file)} (${Math.round(size / 1024)} KB)`);
    if (size > SCREENSHOT_MAX_BYTES) step(`warning: ${name}.png is over ${SCREENSHOT_MAX_BYTES / 1024} KB`);
    fs.writeFileSync(path.join(config.dirs.state, `${name}.done`), '');
  }
  const code = await deadline(workbench.exited, 'the screenshot scene to finish');
  await Promise.all(pending);
  return code;
}
