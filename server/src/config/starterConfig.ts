/**
 * The text of a starter superkick.yml, from what `superkick setup` asked:
 * the default driver, the chosen integrations (each written from its own
 * setup snippet, comments and all) and an optional daily budget. Pure, so
 * every combination can be checked against the config loader in a unit test.
 */
import baseSchema from '../../../schemas/superkick.schema.json';
import type { Integration, IntegrationSection } from '../integrations';
import { ENTRY_SECTIONS } from './sections';

export interface StarterChoices {
  /** The driver every agent uses unless told otherwise (`agents.driver`). */
  driver: string;
  /** Chosen integrations, in any order; at most one runtime. */
  integrations: readonly Integration[];
  /** `budget.daily_usd`; left commented out when undefined. */
  dailyBudgetUsd?: number;
}

/** One written entry that runs commands, for the closing message (`monitors.tests`). */
export interface CommandEntryName {
  section: IntegrationSection;
  name: string;
}

/** The order sections are written in: what the agents are, where they run, then what they react to. */
const SECTION_ORDER: readonly IntegrationSection[] = ['runtime', ...ENTRY_SECTIONS];

const WIDTH = 100;

export function composeStarterConfig(choices: StarterChoices): string {
  const runtimes = choices.integrations.filter((integration) => integration.section === 'runtime');
  if (runtimes.length > 1) throw new Error(`a starter file has one runtime, not ${runtimes.map((r) => r.type).join(' and ')}`);

  const blocks: string[] = [header(), agentsBlock(choices.driver)];
  for (const section of SECTION_ORDER) {
    const chosen = choices.integrations.filter((integration) => integration.section === section);
    if (chosen.length) blocks.push(sectionBlock(section, chosen));
  }
  blocks.push(budgetBlock(choices.dailyBudgetUsd));
  return `${blocks.join('\n')}`;
}

/** The name of the entry a snippet writes (its first key); undefined for a runtime, whose snippet is the section's body. */
export function snippetEntryName(integration: Integration): string | undefined {
  if (integration.section === 'runtime') return undefined;
  return /^([A-Za-z0-9_-]+):/.exec(integration.setupSnippet)?.[1];
}

/** The chosen entries that wait for `superkick trust` before they run. */
export function commandEntryNames(integrations: readonly Integration[]): CommandEntryName[] {
  return integrations
    .filter((integration) => integration.runsCommands)
    .map((integration) => ({ section: integration.section, name: snippetEntryName(integration) ?? integration.type }));
}

function header(): string {
  return [
    '# superkick.yml: what Superkick does in this workspace, written by `superkick setup`.',
    '# Every key is described in docs/configuration.md (in the Superkick repository), and on',
    '# hover in VS Code. Lines starting with # are defaults or examples: uncomment to use them.',
    '# After an edit, check the file with: superkick config check',
    '',
  ].join('\n');
}

function agentsBlock(driver: string): string {
  const lines = [...comment(sectionDescription('agents')), 'agents:', `  driver: ${driver}`];
  // The `command` driver has no program of its own: say where to name one.
  if (driver === 'command') lines.push(example('command: my-agent', 'the program to run (waits for superkick trust)'));
  lines.push(example('max_duration: 3600', 'seconds before an agent is stopped'), example('record: false', 'record every agent as an asciicast'), '');
  return lines.join('\n');
}

function sectionBlock(section: IntegrationSection, chosen: readonly Integration[]): string {
  const lines = [...comment(sectionDescription(section)), `${section}:`];
  chosen.forEach((integration, index) => {
    if (index > 0) lines.push('');
    lines.push(...comment(integration.summary, WIDTH - 2).map(indent));
    lines.push(...integration.setupSnippet.trimEnd().split('\n').map(indent));
  });
  lines.push('');
  return lines.join('\n');
}

function budgetBlock(dailyUsd: number | undefined): string {
  const lines = [...comment(sectionDescription('budget')), 'budget:'];
  lines.push(dailyUsd === undefined ? example('daily_usd: 20', 'all agents, per calendar day') : `  daily_usd: ${dailyUsd}`);
  lines.push(example('per_agent_usd: 5', 'one agent, over its life'), example('warn_at_percent: 80', 'the default'), '');
  return lines.join('\n');
}

function sectionDescription(section: string): string {
  const properties = (baseSchema as { properties: Record<string, { description?: string }> }).properties;
  return properties[section]?.description ?? '';
}

/** A commented-out key of a section, with a note aligned like the snippets' notes. */
function example(keyValue: string, note: string): string {
  return `  # ${keyValue.padEnd(28)} # ${note}`;
}

function indent(line: string): string {
  return line ? `  ${line}` : line;
}

/** Text as `# ` lines no wider than `width`; nothing for empty text. */
function comment(text: string, width = WIDTH): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width - 2) {
      lines.push(`# ${line}`);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(`# ${line}`);
  return lines;
}
