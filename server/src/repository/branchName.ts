/**
 * Renders a branch pattern such as `superkick/{{key}}` into a name git accepts
 * and that is safe on a command line. Event text (issue titles, keys from
 * outside) goes into these names, so everything odd is replaced, not trusted.
 */
import { UserError } from '../common/userError';

/** Long enough to stay readable, short enough for every filesystem's path limit under .git/refs. */
export const MAX_BRANCH_LENGTH = 100;

/** Fills `{{name}}` placeholders, then sanitizes the whole name. Unknown placeholders are an error. */
export function branchName(pattern: string, vars: Record<string, string | number>): string {
  const rendered = pattern.replace(/\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g, (_match, name: string) => {
    if (!(name in vars)) throw new UserError(`branch pattern "${pattern}": unknown placeholder {{${name}}} (known: ${Object.keys(vars).join(', ') || 'none'})`);
    // A value may not add path levels of its own (slashes only come from the pattern), and
    // may not vanish: `superkick/` + nothing would collide with every `superkick/*` branch.
    const value = sanitizeBranchName(String(vars[name]).replace(/\//g, '-'));
    if (!value) throw new UserError(`branch pattern "${pattern}": {{${name}}} = ${JSON.stringify(String(vars[name]))} renders to nothing usable in a branch name`);
    return value;
  });
  const name = sanitizeBranchName(rendered);
  if (!name) throw new UserError(`branch pattern "${pattern}": renders to an empty branch name`);
  return name;
}

/**
 * Follows git's check-ref-format rules, more strictly: only letters, digits and
 * `._-/` survive; no empty, dot-leading or `.lock` components; no `..`; no leading `-`.
 */
export function sanitizeBranchName(raw: string): string {
  let name = raw
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._\-/]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/-{2,}/g, '-');
  const components = () =>
    name
      .split('/')
      .map(cleanComponent)
      .filter((part) => part.length > 0);
  name = components().join('/');
  if (name.length > MAX_BRANCH_LENGTH) {
    name = name.slice(0, MAX_BRANCH_LENGTH);
    name = components().join('/');
  }
  name = name.replace(/^-+/, '').replace(/[/.]+$/, '');
  if (name === '@' || name === 'HEAD') name = `${name}-branch`;
  return name;
}

/** One path component: no leading `.`/`-`, no trailing `.` or `.lock` (repeated until none is left). */
function cleanComponent(part: string): string {
  let previous: string;
  let current = part;
  do {
    previous = current;
    current = current.replace(/^[.-]+/, '').replace(/\.lock$/i, '').replace(/\.+$/, '');
  } while (current !== previous);
  return current;
}
