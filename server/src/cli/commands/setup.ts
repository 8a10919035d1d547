/**
 * `superkick setup`: asks which agent CLI and which integrations, then writes a
 * commented starter superkick.yml (composed by config/starterConfig.ts). It
 * never replaces an existing file without a yes from a person, or `--force`.
 */
import * as fs from 'node:fs';
import type { Command } from 'commander';
import { DRIVERS } from '../../drivers';
import { INTEGRATIONS, type Integration, type IntegrationSection } from '../../integrations';
import { resolveCommand } from '../../common/commandPath';
import { writeFileAtomic } from '../../common/atomicFile';
import { UserError } from '../../common/userError';
import { commandEntryNames, composeStarterConfig, snippetEntryName, type StarterChoices } from '../../config/starterConfig';
import { currentWorkspace, findWorkspaceRoot, workspaceFile } from '../../config/workspaceRoot';
import { shortPath } from './config';
import { requireSideBundle } from '../../common/sideBundle';

declare const SUPERKICK_BUNDLED: boolean | undefined;

interface SetupOptions {
  yes?: boolean;
  force?: boolean;
  workspace?: string;
}

/** How each section is introduced in the integrations list. */
const SECTION_LABELS: Record<IntegrationSection, string> = {
  runtime: 'runtime: where spawned agents run (one at most)',
  spawners: 'spawners: start an agent for each new piece of work',
  monitors: 'monitors: tell a running agent what changed',
  notifiers: 'notifiers: tell people what happened',
  goals: 'goals: say when an agent is done',
};
const SECTION_ORDER: readonly IntegrationSection[] = ['spawners', 'monitors', 'notifiers', 'goals', 'runtime'];

/** The oldest Node 20 that @inquirer/prompts supports (its `engines`); the rest of the CLI runs on any Node 20. */
const PROMPTS_NODE = [20, 17] as const;

function promptsRunHere(): boolean {
  const [major, minor] = process.versions.node.split('.').map(Number);
  return major > PROMPTS_NODE[0] || (major === PROMPTS_NODE[0] && minor >= PROMPTS_NODE[1]);
}

/** Each driver with whether its program is on PATH here; `command` runs any program, so it is always there. */
function driversHere(cwd: string): { name: string; installed: boolean }[] {
  return DRIVERS.map((driver) => ({
    name: driver.name,
    installed: driver.commands.some((program) => resolveCommand(program, cwd) !== undefined),
  }));
}

/** The first installed agent CLI, else the first driver (the file is still a valid start; the closing message says so). */
function defaultDriver(drivers: { name: string; installed: boolean }[]): string {
  return (drivers.find((driver) => driver.installed) ?? drivers[0]).name;
}

export function registerSetup(program: Command): void {
  program
    .command('setup')
    .description('write a starter superkick.yml here: asks which agent CLI and which integrations')
    .option('-y, --yes', 'ask nothing: the first installed agent CLI and the default integrations')
    .option('--force', 'replace an existing superkick.yml without asking (needed with --yes)')
    .option('-w, --workspace <dir>', 'the workspace (default: the one this directory is in)')
    .action(async (options: SetupOptions) => {
      if (options.workspace !== undefined && !fs.statSync(options.workspace, { throwIfNoEntry: false })?.isDirectory()) {
        throw new UserError(`--workspace ${options.workspace}: no such folder`);
      }
      const root = findWorkspaceRoot(options.workspace ?? process.cwd());
      const file = workspaceFile(root);
      const shown = shortPath(file, root);
      if (!options.yes && !process.stdin.isTTY) {
        throw new UserError('superkick setup asks questions, but its input is not a terminal; run `superkick setup --yes` to write the defaults without asking');
      }
      if (!options.yes && !promptsRunHere()) {
        throw new UserError(`superkick setup's questions need Node ${PROMPTS_NODE.join('.')} or newer (this is ${process.versions.node}); run \`superkick setup --yes\` to write the defaults without asking`);
      }
      try {
        await setup(file, shown, root, options);
      } catch (error) {
        // ctrl-c (or a closed terminal) in a prompt: nothing has been written yet.
        if ((error as Error)?.name === 'ExitPromptError') throw new UserError(`setup cancelled; ${shown} was not written`, 130);
        throw error;
      }
    });
}

async function setup(file: string, shown: string, root: string, options: SetupOptions): Promise<void> {
  const exists = fs.existsSync(file);
  if (exists && !options.force) {
    if (options.yes) throw new UserError(`${shown} already exists and was left as it was; run \`superkick setup --yes --force\` to replace it, or \`superkick setup\` to be asked`);
    const { confirm } = await loadPrompts();
    const replace = await confirm({ message: `${shown} already exists. Replace it with a new starter file?`, default: false });
    if (!replace) {
      console.log(`Left ${shown} as it was.`);
      return;
    }
  }

  const drivers = driversHere(root);
  const choices = options.yes ? defaultChoices(drivers) : await askChoices(drivers);
  const text = composeStarterConfig(choices);
  if (exists) writeFileAtomic(file, text);
  else writeNew(file, shown, text);

  console.log(closingMessage(exists ? 'Replaced' : 'Wrote', shown, root, choices, drivers));
}

/** Exclusive create: a file that appeared while the questions were open is never replaced unasked. */
function writeNew(file: string, shown: string, text: string): void {
  try {
    fs.writeFileSync(file, text, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new UserError(`${shown} was created by something else while setup was asking; left it as it is, run superkick setup again to replace it`);
    throw error;
  }
}

function defaultChoices(drivers: { name: string; installed: boolean }[]): StarterChoices {
  return { driver: defaultDriver(drivers), integrations: INTEGRATIONS.filter((integration) => integration.setupDefault) };
}

async function askChoices(drivers: { name: string; installed: boolean }[]): Promise<StarterChoices> {
  const { checkbox, number, select, Separator } = await loadPrompts();
  const width = Math.max(...drivers.map((driver) => driver.name.length));
  const driver = await select({
    message: 'Which agent CLI should agents run by default?',
    default: defaultDriver(drivers),
    choices: drivers.map((d) => ({
      value: d.name,
      short: d.name,
      name: `${d.name.padEnd(width)}  ${d.name === 'command' ? '(any other program; its state is not read from the screen)' : d.installed ? '(installed)' : '(not found on PATH)'}`,
    })),
  });

  const listed: (Integration | InstanceType<typeof Separator>)[] = [];
  for (const section of SECTION_ORDER) {
    const inSection = INTEGRATIONS.filter((integration) => integration.section === section);
    if (!inSection.length) continue;
    listed.push(new Separator(`── ${SECTION_LABELS[section]}`));
    listed.push(...inSection);
  }
  const integrations = await checkbox<Integration>({
    message: 'Which integrations? (the text under the list describes the one at the cursor)',
    pageSize: listed.length,
    loop: false,
    choices: listed.map((item) =>
      item instanceof Separator
        ? item
        : { value: item, name: entryLabel(item), short: entryPath(item), description: item.summary, checked: item.setupDefault === true },
    ),
    validate: (chosen) => chosen.filter((c) => c.value.section === 'runtime').length <= 1 || 'pick one runtime at most',
  });

  const dailyBudgetUsd = await number({
    message: 'Daily spending limit for all agents, in US dollars (empty: none)',
    required: false,
    step: 'any',
    validate: (value) => value === undefined || value > 0 || 'a limit above 0, or empty for none',
  });
  return { driver, integrations, dailyBudgetUsd };
}

/** `shell (as monitors.tests, runs commands)`: the type a user would write and what the file will get. */
function entryLabel(integration: Integration): string {
  const notes = [integration.section === 'runtime' ? undefined : `as ${entryPath(integration)}`, integration.runsCommands ? 'runs commands' : undefined].filter(Boolean);
  return notes.length ? `${integration.type} (${notes.join(', ')})` : integration.type;
}

/** Where the entry goes in the file: `monitors.tests`, or `runtime local`. */
function entryPath(integration: Integration): string {
  return integration.section === 'runtime' ? `runtime ${integration.type}` : `${integration.section}.${snippetEntryName(integration)}`;
}

function closingMessage(verb: string, shown: string, root: string, choices: StarterChoices, drivers: { name: string; installed: boolean }[]): string {
  // From outside the workspace (-w), the next commands need to be told where it is.
  const here = currentWorkspace() === root;
  const trust = here ? 'superkick trust' : `superkick trust ${root}`;
  const check = here ? 'superkick config check' : `superkick config check -w ${root}`;
  const lines = [`${verb} ${shown}: agents run ${choices.driver} by default.`];
  const found = drivers.find((driver) => driver.name === choices.driver);
  if (found && !found.installed && found.name !== 'command') {
    lines.push(`No agent CLI (${DRIVERS.filter((d) => d.commands.length).map((d) => d.name).join(', ')}) was found on PATH; change agents.driver once one is installed.`);
  }
  const written = choices.integrations.map(entryPath);
  lines.push(written.length ? `Entries: ${written.join(', ')}.` : 'No integrations yet: add them later from docs/configuration.md, or run superkick setup again.');
  const commands = commandEntryNames(choices.integrations);
  if (commands.length) {
    lines.push(
      `${commands.map((entry) => `${entry.section}.${entry.name}`).join(', ')} run${commands.length === 1 ? 's' : ''} commands on this machine, so ${commands.length === 1 ? 'it stays' : 'they stay'} off until you trust this workspace.`,
      `Read the file, then: ${trust}`,
    );
  }
  lines.push(`Check it after each edit: ${check}`);
  return lines.join('\n');
}

/** The prompts, from their own bundle (they are most of the CLI's size and only setup asks). */
async function loadPrompts(): Promise<typeof import('../prompts')> {
  return typeof SUPERKICK_BUNDLED !== 'undefined' ? requireSideBundle<typeof import('../prompts')>('prompts') : await import('../prompts');
}
