import type { DriverProfile } from './profile';

/**
 * GitHub Copilot CLI. It needs a GitHub sign-in, which cannot happen here, so
 * these patterns come from its documentation, not from its screens.
 */
export const copilot: DriverProfile = {
  name: 'copilot',
  commands: ['copilot'],
  states: {
    waiting: ['Do you want to run this command\\?', 'Allow Copilot to'],
    working: ['Esc to cancel', 'esc to cancel'],
    idle: ['Enter @ to mention files', 'Type @ to mention files'],
  },
  idleSettleMs: 150,
  enterDelayMs: 50,
  interruptKey: '\x1b',
  mcp: 'copilot-additional-config',
  usage: null,
  observedVersion: null,
  verified: { states: [], note: 'not verified: Copilot needs a GitHub sign-in, unavailable on this machine; patterns from its documentation' },
};
