/** Which documents the language features serve, told from the document's URI alone. */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WORKSPACE_FILE } from '../config/workspaceRoot';

export type DocumentKind =
  /** A workspace's superkick.yml: merged over the user's file from disk. */
  | { kind: 'workspace'; file: string }
  /** `$SUPERKICK_DIR/config.yml`: checked on its own. */
  | { kind: 'user'; file: string }
  /** `<workspace>/.superkick/templates/**.liquid`: a Liquid template file. */
  | { kind: 'template'; file: string }
  | { kind: 'other' };

const TEMPLATES_DIR = `${path.sep}.superkick${path.sep}templates${path.sep}`;

export function documentKind(uri: string, userConfigFile: string): DocumentKind {
  let file: string;
  try {
    file = fileURLToPath(uri);
  } catch {
    // `untitled:` and other schemes: not a file the host could know as configuration.
    return { kind: 'other' };
  }
  if (file === userConfigFile) return { kind: 'user', file };
  if (path.basename(file) === WORKSPACE_FILE) return { kind: 'workspace', file };
  if (file.endsWith('.liquid') && file.includes(TEMPLATES_DIR)) return { kind: 'template', file };
  return { kind: 'other' };
}
