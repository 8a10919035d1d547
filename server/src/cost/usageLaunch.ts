/**
 * How an agent's usage is read, chosen from its driver's `usage` kind at
 * launch: the arguments that make its session findable (a session id of our
 * choosing, when the CLI takes one and the person did not pick a session),
 * and the reader. The agent process does this: it knows the program's
 * environment (HOME, CODEX_HOME), cwd and start time.
 */
import * as crypto from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import type { UsageSourceKind } from '../drivers/profile';
import { ClaudeUsageReader } from './claudeUsage';
import { CodexUsageReader } from './codexUsage';
import { GeminiUsageReader } from './geminiUsage';
import type { UsageReader } from './usageReader';

export interface UsageLaunch {
  /** The program's arguments, with anything the reader needs put first. */
  args: string[];
  /** Null when the CLI exposes no usage: its cost is unknown. */
  reader: UsageReader | null;
}

export interface LaunchFacts {
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Epoch ms, taken before the program starts. */
  startedAt: number;
  /** Claims a session file for this agent (see usageClaims.ts); without it, nothing is claimed. */
  claim?: (file: string) => boolean;
  /** False when the program is not the CLI itself (a wrapper): nothing is added to its arguments, and the session is looked for instead. */
  addArgs?: boolean;
}

/** Options with which a person picks the session themselves; we then add no session id of our own. */
const CLAUDE_SESSION_OPTIONS = ['--session-id', '--resume', '-r', '--continue', '-c', '--from-pr'];
const GEMINI_SESSION_OPTIONS = ['--session-id', '--resume', '-r', '--session-file'];

export function usageLaunch(kind: UsageSourceKind | null, facts: LaunchFacts, newId: () => string = crypto.randomUUID): UsageLaunch {
  const home = facts.env.HOME || os.homedir();
  switch (kind) {
    case 'claude-session': {
      const given = optionValue(facts.args, '--session-id') ?? optionValue(facts.args, '--resume') ?? optionValue(facts.args, '-r');
      const own = facts.addArgs === false || hasAny(facts.args, CLAUDE_SESSION_OPTIONS) ? null : newId();
      // A resumed session forked with --fork-session gets a new id we cannot know: look for the newest file instead.
      const sessionId = own ?? (facts.args.includes('--fork-session') ? null : given && isUuid(given) ? given : null);
      return {
        args: own ? ['--session-id', own, ...facts.args] : facts.args,
        reader: new ClaudeUsageReader({ home, configDir: facts.env.CLAUDE_CONFIG_DIR, cwd: facts.cwd, sessionId, startedAt: facts.startedAt }),
      };
    }
    case 'codex-rollout':
      return { args: facts.args, reader: new CodexUsageReader({ codexHome: facts.env.CODEX_HOME || path.join(home, '.codex'), cwd: facts.cwd, startedAt: facts.startedAt, claim: facts.claim }) };
    case 'gemini-chat': {
      // Gemini keeps its files under GEMINI_CLI_HOME when that is set (the MCP hand-off's private home does).
      const geminiHome = facts.env.GEMINI_CLI_HOME || home;
      if (facts.addArgs === false || hasAny(facts.args, GEMINI_SESSION_OPTIONS)) {
        const given = optionValue(facts.args, '--session-id');
        return { args: facts.args, reader: given ? new GeminiUsageReader({ home: geminiHome, sessionId: given }) : null };
      }
      const own = newId();
      return { args: ['--session-id', own, ...facts.args], reader: new GeminiUsageReader({ home: geminiHome, sessionId: own }) };
    }
    case null:
      return { args: facts.args, reader: null };
  }
}

function hasAny(args: string[], options: string[]): boolean {
  return args.some((arg) => options.includes(arg) || options.some((option) => option.startsWith('--') && arg.startsWith(`${option}=`)));
}

/** The value of `--name value` or `--name=value`. */
function optionValue(args: string[], option: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === option && args[i + 1] && !args[i + 1].startsWith('-')) return args[i + 1];
    if (args[i].startsWith(`${option}=`)) return args[i].slice(option.length + 1);
  }
  return undefined;
}

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
