export * from './types';
export * as Host from './host';
export * as AgentLink from './agentLink';
export * as Attach from './attach';
export * from './startup';
export * as Language from './language';
export * as Monitors from './monitors';
