// Bundles the CLI (which also hosts the daemon and the agent process) and the
// screen-model worker. node-pty stays external: it is a native module built by npm.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

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
]);
