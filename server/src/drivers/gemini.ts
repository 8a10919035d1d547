import type { DriverProfile } from './profile';

/** Gemini CLI 0.61, as observed here (REAL-CLIS.md). */
export const gemini: DriverProfile = {
  name: 'gemini',
  commands: ['gemini'],
  states: {
    waiting: ['Allow execution of', '^\\W*1\\. Allow once'],
    working: ['esc to cancel'],
    idle: ['Type your message or @path/to/file'],
  },
  idleSettleMs: 150,
  enterDelayMs: 150,
  interruptKey: '\x1b',
  mcp: 'gemini-home-overlay',
  // Its footer counts the connected servers; before that, a typed prompt was seen to vanish.
  mcpReady: '\\d+ MCP servers?\\b',
  usage: 'gemini-chat',
  observedVersion: '0.61',
  verified: { states: ['idle', 'working', 'waiting'], note: 'seen with @google/gemini-cli 0.61 against a fake model server' },
};
