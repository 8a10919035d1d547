/** Environment variables that hand an agent process its identity (set by whoever starts it). */
export const AGENT_ENV = {
  id: 'SUPERKICK_AGENT_ID',
  token: 'SUPERKICK_AGENT_TOKEN',
  spec: 'SUPERKICK_AGENT_SPEC',
} as const;
