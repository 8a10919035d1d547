/**
 * Parts of the CLI that few commands need (the MCP SDK, the setup prompts)
 * are built into bundles of their own beside dist/cli.js, so every other
 * command starts without parsing them. A caller picks, where the build's
 * constant can drop the other branch:
 *
 *   typeof SUPERKICK_BUNDLED !== 'undefined' ? requireSideBundle<typeof import('./x')>('x') : await import('./x')
 *
 * (run from source, as the tests' tsx does, the module itself is imported).
 */
import * as path from 'node:path';

export function requireSideBundle<T>(name: 'mcp' | 'prompts' | 'languageclient'): T {
  // A computed path: the bundler must leave this require to run time.
  return require(path.join(__dirname, `${name}.js`)) as T;
}
