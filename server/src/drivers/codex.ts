import type { DriverProfile } from './profile';

/**
 * Codex CLI 0.169, as observed here (REAL-CLIS.md). Its footer `? for shortcuts`
 * shows in both states, so idle is read from the empty input's placeholder.
 */
export const codex: DriverProfile = {
  name: 'codex',
  commands: ['codex'],
  states: {
    waiting: ['Would you like to run the following command\\?', 'Press enter to confirm or esc to cancel', 'Allow the \\S+ MCP server to run tool'],
    working: ['esc to interrupt'],
    idle: ['› Ask Codex to do anything'],
  },
  idleSettleMs: 150,
  enterDelayMs: 120,
  interruptKey: '\x1b',
  mcp: 'codex-config-flags',
  usage: 'codex-rollout',
  observedVersion: '0.169',
  verified: { states: ['idle', 'working', 'waiting'], note: 'seen with @openai/codex 0.169 against a fake model server' },
};
