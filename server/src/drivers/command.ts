import type { DriverProfile } from './profile';

/** Any other program: nothing is read from its screen, so it counts as working while it runs. */
export const command: DriverProfile = {
  name: 'command',
  commands: [],
  states: { waiting: [], working: [], idle: [] },
  idleSettleMs: 300,
  enterDelayMs: 0,
  interruptKey: '\x03',
  mcp: 'none',
  usage: null,
  observedVersion: null,
  verified: { states: [], note: 'no screen states: a plain program is working until it exits' },
};
