/**
 * The command line as data for completion scripts, read from the commander
 * program itself so a new command or flag is completed without touching the
 * scripts. What an argument or option value completes to is inferred from its
 * name: `agent` means a live agent id or name, `command` a program to run (or,
 * under `help`, a sibling command), declared choices their values.
 */
import type { Command } from 'commander';

/** What a word in a given position completes to. */
export type Completes = { kind: 'agent' } | { kind: 'program' } | { kind: 'subcommand' } | { kind: 'choices'; values: string[] } | { kind: 'anything' };

export interface FlagSpec {
  /** Every spelling: `-o`, `--output`. */
  names: string[];
  description: string;
  /** The value it takes, if any. */
  value: Completes | null;
}

export interface CommandSpec {
  /** Canonical names from the root, e.g. [] for the program itself, ['config', 'check']. */
  path: string[];
  /** The name, then its aliases. */
  names: string[];
  description: string;
  flags: FlagSpec[];
  /** Positional arguments in order; the last may repeat. */
  args: Completes[];
  variadic: boolean;
  subcommands: CommandSpec[];
}

function completesFor(name: string, choices: readonly string[] | undefined, underHelp: boolean): Completes {
  if (choices?.length) return { kind: 'choices', values: [...choices] };
  if (name === 'agent') return { kind: 'agent' };
  if (name === 'command') return underHelp ? { kind: 'subcommand' } : { kind: 'program' };
  return { kind: 'anything' };
}

export function commandTree(command: Command, path: string[] = []): CommandSpec {
  const help = command.createHelp();
  const flags: FlagSpec[] = help.visibleOptions(command).map((option) => ({
    names: [option.short, option.long].filter((name): name is string => Boolean(name)),
    description: option.description,
    value: option.required || option.optional ? completesFor(option.attributeName(), option.argChoices, false) : null,
  }));
  const args = command.registeredArguments.map((argument) => completesFor(argument.name(), argument.argChoices, command.name() === 'help'));
  return {
    path,
    names: [command.name(), ...command.aliases()],
    description: command.description(),
    flags,
    args,
    variadic: command.registeredArguments.at(-1)?.variadic ?? false,
    subcommands: help.visibleCommands(command).map((sub) => commandTree(sub, [...path, sub.name()])),
  };
}

/** Every command in the tree, the root first. */
export function allCommands(root: CommandSpec): CommandSpec[] {
  return [root, ...root.subcommands.flatMap(allCommands)];
}
