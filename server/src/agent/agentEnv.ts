/** Environment variables that hand an agent process its identity (set by whoever starts it). */
export const AGENT_ENV = {
  id: 'SUPERKICK_AGENT_ID',
  token: 'SUPERKICK_AGENT_TOKEN',
  spec: 'SUPERKICK_AGENT_SPEC',
} as const;

/**
 * glibc gives each thread that allocates its own malloc arena; with the screen
 * worker that is several mostly empty arenas per agent (about 5 MB). Two are
 * plenty. Set only when the user has not chosen, and taken out again before
 * the program in the pty starts, so that it runs with the user's environment.
 */
export const MALLOC_ARENA = { name: 'MALLOC_ARENA_MAX', value: '2', marker: 'SUPERKICK_SET_MALLOC_ARENA_MAX' } as const;

export function agentProcessMallocEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (env[MALLOC_ARENA.name] !== undefined) return {};
  return { [MALLOC_ARENA.name]: MALLOC_ARENA.value, [MALLOC_ARENA.marker]: '1' };
}

export function withoutAgentProcessMallocEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const clean = { ...env };
  if (clean[MALLOC_ARENA.marker]) delete clean[MALLOC_ARENA.name];
  delete clean[MALLOC_ARENA.marker];
  return clean;
}
