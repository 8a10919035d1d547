/**
 * A driver profile: what Superkick knows about one agent CLI, as data, so that
 * a CLI that changes its screen needs a profile change, not a release.
 */
import type { AgentState } from '../protocol';
import type { McpHandOffKind } from './mcpHandOff';

/** Screen states a driver can recognise; `starting` and `exited` come from the process itself. */
export type ScreenState = Extract<AgentState, 'working' | 'idle' | 'waiting'>;

/**
 * Where a CLI writes its token usage: `claude-session` (Claude Code's session
 * JSONL), `codex-rollout` (Codex's rollout files), `gemini-chat` (Gemini CLI's
 * chat recording). See docs/cost.md.
 */
export type UsageSourceKind = 'claude-session' | 'codex-rollout' | 'gemini-chat';

export interface StatePatterns {
  /** A permission or choice prompt is up: never type into it. Checked first. */
  waiting: string[];
  /** The CLI is busy. Checked second. */
  working: string[];
  /** Ready for a new prompt. Checked last; must hold for `idleSettleMs` before it counts. */
  idle: string[];
}

export interface DriverProfile {
  name: string;
  /** Program names (basenames) that select this driver when none is given. */
  commands: string[];
  /** Regular expressions (sources, multiline) over the visible screen text; empty: state is not read from the screen. */
  states: StatePatterns;
  /** How long an idle screen must stay idle before the agent counts as idle (a one-frame flicker never does). */
  idleSettleMs: number;
  /**
   * The least time between typing a message and pressing Enter, on top of
   * waiting for the echo: a CLI that guesses pastes from fast keystrokes
   * takes an Enter that comes too soon for a newline.
   */
  enterDelayMs: number;
  /** The key that interrupts the CLI's current turn without ending it (Esc for most; Ctrl-C where Esc does nothing); null: none is pressed. */
  interruptKey: string | null;
  /** How it is handed the Superkick MCP server (see mcpHandOff.ts). */
  mcp: McpHandOffKind;
  /**
   * Shown once the CLI's MCP servers are connected. With ours handed off, the CLI counts as idle
   * only once this shows too: a CLI that draws its input box before its servers connect, and
   * drops what is typed meanwhile, must not be typed into yet.
   */
  mcpReady?: string;
  /** Where its token usage is read (cost/usageLaunch.ts); `null` when the CLI exposes none, and its cost shows as unknown. */
  usage: UsageSourceKind | null;
  /** Which states were checked against the real program here, and which come from its documentation only. */
  verified: { states: ScreenState[]; note: string };
  /** The version whose screens the patterns were taken from (`doctor` warns when the installed one differs); null when never observed. */
  observedVersion: string | null;
}
