/** A bad superkick.yml gets the host's diagnostics at the right place, through the extension's language client. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import { superkick, workspaceFolder } from '../superkick';
import { until } from '../waitForEvent';

suite('diagnostics', () => {
  const folder = () => path.join(workspaceFolder(), 'diagnostics-case');
  suiteTeardown(() => fs.rmSync(folder(), { recursive: true, force: true }));

  test('an unknown monitor type is marked on its line, with a suggestion', async () => {
    await superkick();
    fs.mkdirSync(folder(), { recursive: true });
    const file = path.join(folder(), 'superkick.yml');
    fs.writeFileSync(file, ['monitors:', '  tests:', '    type: shel', '    command: npm test', ''].join('\n'));
    const uri = vscode.Uri.file(file);
    const diagnosed = until(vscode.languages.onDidChangeDiagnostics, () => vscode.languages.getDiagnostics(uri).length > 0 && vscode.languages.getDiagnostics(uri), `diagnostics for ${file}`);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const diagnostics = await diagnosed;
    assert.equal(diagnostics.length, 1);
    const [problem] = diagnostics;
    assert.equal(problem.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(problem.source, 'superkick');
    assert.deepEqual([problem.range.start.line, problem.range.start.character, problem.range.end.line, problem.range.end.character], [2, 10, 2, 14]);
    assert.match(problem.message, /monitors\.tests\.type.*did you mean "shell"/);

    // Fixing it in the editor (not yet saved) clears it.
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor);
    await editor.edit((edit) => edit.replace(problem.range, 'shell'));
    await until(vscode.languages.onDidChangeDiagnostics, () => vscode.languages.getDiagnostics(uri).length === 0, 'the diagnostics to clear after the fix');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
