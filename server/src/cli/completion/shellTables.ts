/**
 * The command tree as shell functions answering the questions a completion
 * script asks while it walks the words typed so far. The syntax is the part
 * bash and zsh share (`case`, `echo`, `return`), so both scripts use the same
 * tables. A command's path is its canonical names joined by spaces, the root
 * being the empty string.
 */
import { allCommands, type CommandSpec, type Completes } from './commandTree';

/** A single-quoted shell word. */
export function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export function pathKey(command: CommandSpec): string {
  return command.path.join(' ');
}

/** How a kind of completion is spelled in the tables: `agent`, `program`, `subcommand`, `anything` or `choices a b c`. */
export function kindWord(completes: Completes): string {
  return completes.kind === 'choices' ? `choices ${completes.values.join(' ')}` : completes.kind;
}

/** What the positional argument at each index completes to; a repeated program argument completes its own arguments as files. */
export function argumentKinds(command: CommandSpec): { fixed: string[]; rest: string | null } {
  const fixed = command.args.map(kindWord);
  if (!command.variadic || !fixed.length) return { fixed, rest: null };
  const last = fixed[fixed.length - 1];
  return { fixed, rest: last === 'program' ? 'anything' : last };
}

function caseFunction(name: string, doc: string, key: string, arms: CaseArm[], otherwise = 'return 1'): string {
  const lines = [`# ${doc}`, `${name}() {`, `  case ${key} in`];
  for (const [patterns, body] of arms) lines.push(`    ${patterns.join('|')}) ${body} ;;`);
  lines.push(`    *) ${otherwise} ;;`, '  esac', '}');
  return lines.join('\n');
}

export type CaseArm = [patterns: string[], body: string];

/**
 * The lookups every shell's script makes (subcommand names, what a flag's value
 * and each positional argument complete to), as case arms in that shell's
 * quoting; `anyIndexAfter` spells the pattern for every index past a quoted
 * `PATH|` prefix (a trailing wildcard outside the quotes in bash and zsh; a
 * pattern is a wildcard even quoted in fish).
 */
export function lookupArms(
  root: CommandSpec,
  quoteWord: (text: string) => string,
  anyIndexAfter: (key: string) => string,
): { sub: CaseArm[]; flagValue: CaseArm[]; arg: CaseArm[] } {
  const arms = { sub: [] as CaseArm[], flagValue: [] as CaseArm[], arg: [] as CaseArm[] };
  for (const command of allCommands(root)) {
    const key = pathKey(command);
    for (const sub of command.subcommands) arms.sub.push([sub.names.map((name) => quoteWord(`${key}|${name}`)), `echo ${quoteWord(sub.path.at(-1) ?? '')}`]);
    for (const flag of command.flags) {
      if (flag.value) arms.flagValue.push([flag.names.map((name) => quoteWord(`${key}|${name}`)), `echo ${quoteWord(kindWord(flag.value))}`]);
    }
    const { fixed, rest } = argumentKinds(command);
    fixed.forEach((kind, index) => arms.arg.push([[quoteWord(`${key}|${index}`)], `echo ${quoteWord(kind)}`]));
    if (rest) arms.arg.push([[anyIndexAfter(key)], `echo ${quoteWord(rest)}`]);
  }
  return arms;
}

export function shellTables(root: CommandSpec): string {
  const { sub: subArms, flagValue: flagValueArms, arg: argArms } = lookupArms(root, quote, (key) => `${quote(`${key}|`)}*`);
  const subsArms: CaseArm[] = [];
  const flagsArms: CaseArm[] = [];
  const describedArms: CaseArm[] = [];
  for (const command of allCommands(root)) {
    const key = pathKey(command);
    if (command.subcommands.length) subsArms.push([[quote(key)], `echo ${quote(command.subcommands.flatMap((sub) => sub.names).join(' '))}`]);
    flagsArms.push([[quote(key)], `echo ${quote(command.flags.flatMap((flag) => flag.names).join(' '))}`]);
    const subLines = command.subcommands.flatMap((sub) => sub.names.map((name) => `${name}:${sub.description}`));
    const flagLines = command.flags.flatMap((flag) => flag.names.map((name) => `${name}:${flag.description}`));
    if (subLines.length) describedArms.push([[quote(`${key}|subcommands`)], `printf '%s\\n' ${subLines.map(quote).join(' ')}`]);
    if (flagLines.length) describedArms.push([[quote(`${key}|flags`)], `printf '%s\\n' ${flagLines.map(quote).join(' ')}`]);
  }
  return [
    caseFunction('_superkick_sub', 'PATH WORD: the canonical name if WORD is a subcommand of PATH', '"$1|$2"', subArms),
    caseFunction('_superkick_flag_value', 'PATH FLAG: what the value of FLAG completes to; fails if FLAG takes none', '"$1|$2"', flagValueArms),
    caseFunction('_superkick_arg', "PATH INDEX: what PATH's positional argument INDEX completes to", '"$1|$2"', argArms),
    caseFunction('_superkick_subs', 'PATH: the names of its subcommands', '"$1"', subsArms, 'return 0'),
    caseFunction('_superkick_flags', 'PATH: its flags', '"$1"', flagsArms, 'return 0'),
    caseFunction('_superkick_described', 'PATH subcommands|flags: NAME:DESCRIPTION lines', '"$1|$2"', describedArms, 'return 0'),
  ].join('\n\n');
}
