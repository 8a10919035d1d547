export * from './types';
export * as Host from './host';
export * as AgentLink from './agentLink';
export * as Attach from './attach';
export * from './startup';
export * as Language from './language';
export * as Goals from './goals';
export * as Budget from './budget';
export * as Mcp from './mcp';
