/**
 * Repositories as entries name them: `owner/name`. One pattern and one
 * reader, so every GitHub entry takes and refuses the same spellings.
 */
import { UserError } from '../../common/userError';

/** owner/name, as a JSON Schema `pattern` for the entries' keys and as the regular expression the code reads them with. */
export const REPOSITORY_PATTERN = '^([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+)$';
export const REPOSITORY_NAME = new RegExp(REPOSITORY_PATTERN);

export interface RepositoryName {
  owner: string;
  repo: string;
}

/** An entry's `repos:` list; `where` names the key in messages (`spawners.issues.repos`). */
export function repositoryList(value: unknown, where: string): RepositoryName[] {
  const listed = Array.isArray(value) ? value : [];
  if (!listed.length) throw new UserError(`${where}: name at least one repository (owner/name)`);
  return listed.map((item) => {
    const match = typeof item === 'string' ? REPOSITORY_NAME.exec(item) : null;
    if (!match) throw new UserError(`${where}: expected owner/name, got ${JSON.stringify(item)}`);
    return { owner: match[1], repo: match[2] };
  });
}
