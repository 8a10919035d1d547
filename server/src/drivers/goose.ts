import type { DriverProfile } from './profile';

/** Goose (not on npm, so not installable here); patterns from its documentation. */
export const goose: DriverProfile = {
  name: 'goose',
  commands: ['goose'],
  states: {
    waiting: ['Allow\\? ', '\\(y/n\\)'],
    working: ['Ctrl\\+C to interrupt', 'thinking'],
    idle: ['^\\s*\\( O\\)>', '^\\s*>\\s*$'],
  },
  idleSettleMs: 150,
  enterDelayMs: 50,
  interruptKey: '\x03',
  mcp: 'goose-extension',
  usage: null,
  observedVersion: null,
  verified: { states: [], note: 'not verified: Goose is not on npm and could not be installed here; patterns from its documentation' },
};
