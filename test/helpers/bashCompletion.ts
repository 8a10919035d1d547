/**
 * Runs a bash completion script the way bash's programmable completion does:
 * sources it in a clean bash, sets COMP_WORDS and COMP_CWORD for the words
 * typed so far (the last one is the word being completed), calls the function
 * and returns COMPREPLY.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const DRIVER = `
source "$1"; shift
if [[ -n $STUB_AGENTS ]]; then _superkick_agents() { printf '%s\\n' $STUB_AGENTS; }; fi
COMP_WORDS=("$@")
COMP_CWORD=$(( $# - 1 ))
COMP_LINE="$*"
COMP_POINT=\${#COMP_LINE}
_superkick
printf '%s\\n' "\${COMPREPLY[@]}"
`;

export function writeScript(script: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sk-comp-'));
  const file = path.join(dir, 'superkick.bash');
  fs.writeFileSync(file, script);
  return file;
}

export function bashComplete(scriptFile: string, words: string[], env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile('bash', ['--norc', '--noprofile', '-c', DRIVER, 'bash', scriptFile, ...words], { env, timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`bash completion failed: ${error.message}\n${stderr}`));
      else if (stderr) reject(new Error(`bash completion wrote to stderr: ${stderr}`));
      else resolve(stdout.split('\n').filter(Boolean).sort());
    });
  });
}
