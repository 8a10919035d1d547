/**
 * Plays an agent's asciicast recording in a webview with asciinema-player
 * (shipped in the extension, no network), or opens it as text. The webview
 * may load only the extension's player files and the one recording.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

/** The agent's recordings, newest first: `<recordings>/<id>-<timestamp>.cast`. */
export function recordingsOf(dir: string, agentId: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.startsWith(`${agentId}-`) && name.endsWith('.cast'))
    .sort()
    .reverse()
    .map((name) => path.join(dir, name));
}

export function showRecording(extensionUri: vscode.Uri, file: string, title: string): vscode.WebviewPanel {
  const player = vscode.Uri.joinPath(extensionUri, 'dist', 'player');
  const recordingDir = vscode.Uri.file(path.dirname(file));
  const panel = vscode.window.createWebviewPanel('superkick.recording', `Recording: ${title}`, vscode.ViewColumn.Active, {
    enableScripts: true,
    localResourceRoots: [player, recordingDir],
  });
  const webview = panel.webview;
  const nonce = crypto.randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(player, 'asciinema-player.min.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(player, 'asciinema-player.css'));
  const cast = webview.asWebviewUri(vscode.Uri.file(file));
  panel.webview.html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-${nonce}' ${webview.cspSource}; style-src ${webview.cspSource} 'unsafe-inline'; connect-src ${webview.cspSource}; font-src ${webview.cspSource}; worker-src blob:;">
<link rel="stylesheet" href="${style}">
<style>body { padding: 8px; background: var(--vscode-editor-background); } #player { max-width: 100%; }</style>
</head><body>
<div id="player"></div>
<script nonce="${nonce}" src="${script}"></script>
<script nonce="${nonce}">AsciinemaPlayer.create(${JSON.stringify(cast.toString())}, document.getElementById('player'), { fit: 'width', idleTimeLimit: 2 });</script>
</body></html>`;
  return panel;
}
