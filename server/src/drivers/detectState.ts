/** Reads a driver state from the visible screen text. */
import type { ScreenState, StatePatterns } from './profile';

export interface CompiledPatterns { waiting: RegExp[]; working: RegExp[]; idle: RegExp[] }

export function compilePatterns(patterns: StatePatterns): CompiledPatterns {
  const compile = (sources: string[]) => sources.map((source) => new RegExp(source, 'm'));
  return { waiting: compile(patterns.waiting), working: compile(patterns.working), idle: compile(patterns.idle) };
}

/** Waiting wins over working, working over idle; undefined when nothing matches. */
export function detectState(screen: string, patterns: CompiledPatterns): ScreenState | undefined {
  for (const state of ['waiting', 'working', 'idle'] as const) {
    if (patterns[state].some((pattern) => pattern.test(screen))) return state;
  }
  return undefined;
}
