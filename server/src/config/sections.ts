/** The top-level sections of superkick.yml; the schema's `properties` are the source, this names them for code. */
import type { IntegrationSection } from '../integrations';

export const SECTIONS = ['server', 'runtime', 'drivers', 'agents', 'spawners', 'monitors', 'notifiers', 'goals', 'budget', 'pricing', 'team', 'repositories', 'templates'] as const;
export type SectionName = (typeof SECTIONS)[number];

/** Sections made of named entries that pick their kind with `type:`. */
export const ENTRY_SECTIONS = ['spawners', 'monitors', 'notifiers', 'goals'] as const satisfies readonly IntegrationSection[];

/** The effective configuration: each section as the schema allows it. Later issues type their own section. */
export type EffectiveConfig = Partial<Record<SectionName, unknown>>;

/** One entry's name in messages: `a "shell" monitor`. */
export const ENTRY_NOUN: Record<IntegrationSection, string> = {
  spawners: 'spawner',
  monitors: 'monitor',
  notifiers: 'notifier',
  goals: 'goal',
  runtime: 'runtime',
};
