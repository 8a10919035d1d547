/**
 * The real agent CLIs from npm, pinned to the versions REAL-CLIS.md observed,
 * installed once into ~/.cache/superkick-ci/clis (outside the repo, reused by
 * later runs), and a private HOME set up as those notes say, so that no
 * machine config leaks in and no CLI tries its vendor: every run happens in a
 * loopback-only network namespace (`unshare -rn`) and points at 127.0.0.1.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const REAL_CLI_PACKAGES = ['@anthropic-ai/claude-code@2.1', '@openai/codex@0.169', '@google/gemini-cli@0.61'];
const CACHE = path.join(os.homedir(), '.cache', 'superkick-ci', 'clis');

/** The bin directory holding claude, codex and gemini; installs them on first use. */
export function realCliBin(): string {
  const bin = path.join(CACHE, 'node_modules', '.bin');
  if (['claude', 'codex', 'gemini'].every((name) => fs.existsSync(path.join(bin, name)))) return bin;
  fs.mkdirSync(CACHE, { recursive: true });
  if (!fs.existsSync(path.join(CACHE, 'package.json'))) fs.writeFileSync(path.join(CACHE, 'package.json'), '{"private":true}\n');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', ...REAL_CLI_PACKAGES], { cwd: CACHE, stdio: 'ignore', timeout: 15 * 60_000 });
  return bin;
}

/**
 * A private HOME for the CLIs, with `cwd` trusted and every vendor address
 * replaced by `modelUrl` (a fake model server; by default a closed port).
 */
export function realCliEnvironment(home: string, cwd: string, modelUrl = 'http://127.0.0.1:9'): NodeJS.ProcessEnv {
  fs.mkdirSync(path.join(home, '.gemini'), { recursive: true });
  fs.mkdirSync(path.join(home, '.codex'), { recursive: true });
  fs.writeFileSync(path.join(home, '.claude.json'), JSON.stringify({ hasCompletedOnboarding: true, projects: { [cwd]: { hasTrustDialogAccepted: true } } }));
  fs.writeFileSync(
    path.join(home, '.gemini', 'settings.json'),
    JSON.stringify({ security: { auth: { selectedType: 'gemini-api-key' }, folderTrust: { enabled: false } }, privacy: { usageStatisticsEnabled: false }, telemetry: { enabled: false }, general: { disableAutoUpdate: true } }),
  );
  fs.writeFileSync(
    path.join(home, '.codex', 'config.toml'),
    [
      'model_provider = "fake"',
      'model = "fake-model"',
      'check_for_update_on_startup = false',
      // The model may ask to run a command outside the sandbox, and a person is asked first: a test's permission prompt.
      'approval_policy = "on-request"',
      '[model_providers.fake]',
      'name = "fake"',
      `base_url = "${modelUrl}/v1"`,
      'env_key = "FAKE_MODEL_KEY"',
      'wire_api = "responses"',
      `[projects.${JSON.stringify(cwd)}]`,
      'trust_level = "trusted"',
      '[analytics]',
      'enabled = false',
      '[features]',
      'daemon_auto_start = false',
      '',
    ].join('\n'),
  );
  return {
    HOME: home,
    CODEX_HOME: path.join(home, '.codex'),
    FAKE_MODEL_KEY: 'not-a-key',
    ANTHROPIC_BASE_URL: modelUrl,
    ANTHROPIC_AUTH_TOKEN: 'not-a-token',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_ERROR_REPORTING: '1',
    GEMINI_API_KEY: 'not-a-key',
    GOOGLE_GEMINI_BASE_URL: modelUrl,
    GEMINI_CLI_TRUST_WORKSPACE: 'true',
  };
}
