import type { DriverProfile } from './profile';

/** Any other program: nothing is read from its screen, so it counts as working while it runs. */
export const command: DriverProfile = {
  name: 'command',
  commands: [],
  states: { waiting: [], working: [], idle: [] },
  idleSettleMs: 300,
  enterDelayMs: 0,
  // A plain program has no turns to interrupt (Ctrl-C would end most of them): nothing is pressed.
  interruptKey: null,
  mcp: 'none',
  usage: null,
  observedVersion: null,
  verified: { states: [], note: 'no screen states: a plain program is working until it exits' },
};
