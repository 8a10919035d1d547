// Bundles the CLI (which also hosts the daemon and the agent process), the
// screen-model worker and the VS Code extension, and writes the composed
// configuration schema. node-pty stays external: it is a native module built by npm.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  external: ['node-pty'],
  logLevel: 'warning',
  minify: true,
  define: { SUPERKICK_VERSION: JSON.stringify(version), SUPERKICK_BUNDLED: 'true' },
};

await Promise.all([
  build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js' }),
  build({ ...common, entryPoints: ['server/src/agent/screenWorker.ts'], outfile: 'dist/screenWorker.js' }),
  // Side bundles, loaded by the few commands that need them (server/src/common/sideBundle.ts).
  build({ ...common, entryPoints: ['server/src/mcp/sideBundle.ts'], outfile: 'dist/mcp.js' }),
  build({ ...common, entryPoints: ['server/src/cli/prompts.ts'], outfile: 'dist/prompts.js' }),
  // The extension runs in VS Code's extension host, which provides `vscode`; it starts the host with the system's Node.
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['node-pty', 'vscode'] }),
  build({ ...common, entryPoints: ['client/src/languageClientBundle.ts'], outfile: 'dist/languageclient.js', external: ['node-pty', 'vscode'] }),
  build({ ...common, entryPoints: ['scripts/composedSchema.ts'], outfile: 'dist/.composedSchema.js', sourcemap: false }),
]);
execFileSync(process.execPath, ['dist/.composedSchema.js', 'dist/superkick.schema.json']);
rmSync('dist/.composedSchema.js');
// The recording player the extension's webview loads (its own files, never a CDN).
mkdirSync('dist/player', { recursive: true });
for (const file of ['asciinema-player.min.js', 'asciinema-player.css']) copyFileSync(`node_modules/asciinema-player/dist/bundle/${file}`, `dist/player/${file}`);
