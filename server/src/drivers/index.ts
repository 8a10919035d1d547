/** Every driver, by name; the one place a driver is registered. */
import * as path from 'node:path';
import { UserError } from '../common/userError';
import type { DriverProfile } from './profile';
import { claude } from './claude';
import { codex } from './codex';
import { copilot } from './copilot';
import { gemini } from './gemini';
import { goose } from './goose';
import { command } from './command';

export const DRIVERS: readonly DriverProfile[] = [claude, codex, copilot, gemini, goose, command];

export function driverNamed(name: string): DriverProfile {
  const found = DRIVERS.find((driver) => driver.name === name);
  if (!found) throw new UserError(`unknown driver "${name}"; drivers: ${DRIVERS.map((d) => d.name).join(', ')}`);
  return found;
}

/** The driver for a program, from its name (`claude`, `/usr/local/bin/codex`); `command` for anything else. */
export function driverForCommand(program: string): DriverProfile {
  const base = path.basename(program);
  return DRIVERS.find((driver) => driver.commands.includes(base)) ?? command;
}

/** Whether the driver reads states from the screen (a plain `command` does not). */
export function readsScreenState(driver: DriverProfile): boolean {
  return driver.states.waiting.length + driver.states.working.length + driver.states.idle.length > 0;
}
