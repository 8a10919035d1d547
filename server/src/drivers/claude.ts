import type { DriverProfile } from './profile';

/** Claude Code 2.1, as observed here (REAL-CLIS.md). */
export const claude: DriverProfile = {
  name: 'claude',
  commands: ['claude', 'claude-code'],
  states: {
    waiting: ['Do you want to proceed\\?', '^\\s*❯ 1\\. Yes'],
    working: ['esc to interrupt'],
    idle: ['\\? for shortcuts'],
  },
  idleSettleMs: 150,
  enterDelayMs: 50,
  interruptKey: '\x1b',
  mcp: 'claude-mcp-config',
  usage: 'claude-session',
  observedVersion: '2.1',
  verified: { states: ['idle', 'working', 'waiting'], note: 'seen with @anthropic-ai/claude-code 2.1 against a fake model server' },
};
