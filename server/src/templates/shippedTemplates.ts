/**
 * Where the templates that ship with Superkick are. They live in `templates/`
 * at the package root, beside `package.json`; the code that looks for them
 * runs from `server/src/templates/` under tsx and from `dist/cli.js` once
 * bundled, so it walks up from wherever it is instead of assuming a depth.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

let found: string | undefined;

export function shippedTemplatesDir(start = __dirname): string {
  if (found && start === __dirname) return found;
  for (let dir = start; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'templates');
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(candidate, 'core'))) {
      if (start === __dirname) found = candidate;
      return candidate;
    }
    if (path.dirname(dir) === dir) throw new Error(`Superkick's shipped templates were not found above ${start}; the package is incomplete (reinstall it)`);
  }
}

/** Every shipped template's name (`integration/name`), for checks and tests. */
export function shippedTemplateNames(dir = shippedTemplatesDir()): string[] {
  const names: string[] = [];
  for (const integration of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!integration.isDirectory()) continue;
    for (const file of fs.readdirSync(path.join(dir, integration.name))) {
      if (file.endsWith('.liquid')) names.push(`${integration.name}/${file.slice(0, -'.liquid'.length)}`);
    }
  }
  return names.sort();
}
