/**
 * The language features through the real host socket, as an editor uses
 * them: open a bad superkick.yml and get its diagnostics at the right
 * ranges, fix it and get none, complete and hover, follow the user's file
 * on disk, check a workspace template file, and refuse an agent token.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Sandbox } from '../helpers/sandbox';
import { TestLanguageClient, uriOf } from '../helpers/languageClient';
import { ConfigWatch } from '../helpers/configWatch';
import { HostWatch } from '../helpers/hostWatch';
import { Host, Language } from '../../server/src/protocol';
import { INTEGRATIONS } from '../../server/src/integrations';
import type { MessageConnection } from 'vscode-jsonrpc';
import { connectSocket } from '../helpers/hostConnection';
import { rpcOverSocket } from '../../server/src/common/rpcConnection';

/** Where `needle` is in `text`, as an LSP range (one line). */
function rangeOf(text: string, needle: string): Language.Range {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `${needle} is in the text`);
  const before = text.slice(0, at).split('\n');
  const line = before.length - 1;
  const character = before[line].length;
  return { start: { line, character }, end: { line, character: character + needle.length } };
}

/** A connection that has not authenticated yet. */
async function rawConnection(superkickDir: string): Promise<{ connection: MessageConnection; close(): void }> {
  const socket = await connectSocket(path.join(superkickDir, 'run', 'host.sock'));
  const connection = rpcOverSocket(socket, { guard: false });
  connection.listen();
  return { connection, close: () => (connection.dispose(), socket.destroy()) };
}

function messages(params: Language.PublishDiagnosticsParams): string[] {
  return params.diagnostics.map((d) => (typeof d.message === 'string' ? d.message : d.message.value));
}

describe('language features through the host', () => {
  const sandbox = new Sandbox();
  let root: string;
  let file: string;
  let client: TestLanguageClient;

  before(async () => {
    root = path.join(sandbox.work, 'app');
    fs.mkdirSync(path.join(root, '.git'), { recursive: true });
    file = path.join(fs.realpathSync(root), 'superkick.yml');
    fs.writeFileSync(file, 'budget:\n  daily_usd: 5\n');
    // Starts the host and registers the workspace, as a CLI command from it does.
    await sandbox.runOk(['config', 'check'], { cwd: root });
    client = await TestLanguageClient.open(sandbox.dir);
  });
  after(async () => {
    client?.disconnect();
    await sandbox.cleanup();
  });

  it('answers initialize with what it serves', async () => {
    const result = await client.connection.sendRequest(Language.InitializeRequest.type, { processId: null, rootUri: null, capabilities: {} });
    assert.deepEqual(result.capabilities.textDocumentSync, { openClose: true, change: Language.TextDocumentSyncKind.Full });
    assert.equal(result.capabilities.hoverProvider, true);
    assert.ok(result.capabilities.completionProvider);
    // An editor's shutdown is answered and stops nothing: the same connection still works.
    assert.equal(await client.connection.sendRequest(Language.ShutdownRequest.type), null);
    await client.connection.sendRequest(Host.ListWorkspaces.type, {});
  });

  it('a bad document gets its diagnostics at their ranges; a fix clears them', async () => {
    const bad = [
      'monitors:',
      '  tests:',
      '    type: shel',
      '    command: npm test',
      '  lint:',
      '    type: shell',
      '    poll_interval: 30',
      'server:',
      '  api_key: <%= env("SK_LSP_UNSET_KEY") %>',
      '',
    ].join('\n');
    const first = client.nextDiagnostics(file, (p) => p.version === 1, 'after didOpen');
    client.open(file, bad);
    const opened = await first;
    // env() failures stop the file before validation, as the host's own loader does.
    assert.deepEqual(
      opened.diagnostics.map((d) => [d.range, d.severity, d.source]),
      [[rangeOf(bad, '<%= env("SK_LSP_UNSET_KEY") %>'), Language.DiagnosticSeverity.Error, 'superkick']],
    );
    assert.match(messages(opened)[0], /environment variable SK_LSP_UNSET_KEY is not set/);

    const withoutEnv = bad.replace(/server:\n.*\n/, '');
    const second = client.nextDiagnostics(file, (p) => p.version === 2, 'after the first change');
    client.change(file, withoutEnv);
    const changed = await second;
    assert.deepEqual(
      changed.diagnostics.map((d, i) => [d.range, messages(changed)[i].split(':')[0]]),
      [
        [rangeOf(withoutEnv, 'shel'), 'monitors.tests.type'],
        [rangeOf(withoutEnv, 'lint'), 'monitors.lint'],
      ],
    );
    assert.match(messages(changed)[0], /did you mean "shell"/);
    assert.match(messages(changed)[1], /missing required key "command"/);

    const third = client.nextDiagnostics(file, (p) => p.version === 3, 'after the fix');
    client.change(file, 'monitors:\n  tests:\n    type: shell\n    command: npm test\n');
    assert.deepEqual((await third).diagnostics, []);
  });

  it('completion and hover round-trip', async () => {
    const text = 'monitors:\n  tests:\n    type: shell\n    \n';
    const next = client.nextDiagnostics(file, () => true, 'after the edit');
    client.change(file, text);
    await next;
    const items = await client.connection.sendRequest(Language.CompletionRequest.type, { textDocument: { uri: uriOf(file) }, position: { line: 3, character: 4 } });
    const list = Array.isArray(items) ? items : (items?.items ?? []);
    const command = list.find((item) => item.label === 'command');
    assert.ok(command, 'the shell monitor offers command');
    assert.deepEqual(command.textEdit, { range: { start: { line: 3, character: 4 }, end: { line: 3, character: 4 } }, newText: 'command: $0' });

    const types = await client.connection.sendRequest(Language.CompletionRequest.type, { textDocument: { uri: uriOf(file) }, position: { line: 2, character: 10 } });
    assert.deepEqual((Array.isArray(types) ? types : []).map((i) => i.label), INTEGRATIONS.filter((i) => i.section === 'monitors').map((i) => i.type), 'every registered monitor type');

    const hover = await client.connection.sendRequest(Language.HoverRequest.type, { textDocument: { uri: uriOf(file) }, position: { line: 0, character: 2 } });
    assert.match((hover?.contents as { value: string }).value, /^\*\*monitors\*\*\n\nNamed monitors/);
    assert.deepEqual(hover?.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 8 } });

    const none = await client.connection.sendRequest(Language.HoverRequest.type, { textDocument: { uri: uriOf(path.join(root, 'nope.yml')) }, position: { line: 0, character: 0 } });
    assert.equal(none, null);
  });

  it("the open document is authoritative over the disk; the user's file on disk is merged under it", async () => {
    const text = 'spawners:\n  dd:\n    type: datadog\n    goal: green\n';
    const opened = client.nextDiagnostics(file, (p) => messages(p).some((m) => m.includes('there is no "green"')), 'the unknown goal');
    client.change(file, text);
    assert.deepEqual((await opened).diagnostics.map((d) => d.range), [rangeOf(text, 'green')]);

    const watch = await ConfigWatch.open(sandbox.dir);
    try {
      // The workspace file changing on disk publishes nothing: the editor's text is what counts.
      const seen = watch.next(fs.realpathSync(root), (c) => !c.status.ok, 'the bad file on disk');
      const before = client.published.length;
      fs.writeFileSync(file, 'budget: [1\n');
      await seen;
      await client.connection.sendRequest(Host.ListWorkspaces.type, {});
      assert.equal(client.published.length, before, 'no diagnostics for a disk change of an open document');

      // The user's file gains the goal: the open document is checked again and the error goes.
      const fixed = client.nextDiagnostics(file, (p) => p.diagnostics.length === 0, 'the goal found in the user file');
      fs.writeFileSync(path.join(sandbox.dir, 'config.yml'), 'goals:\n  green:\n    type: agent_exit\n');
      await fixed;
    } finally {
      watch.close();
    }
  });

  it('closing a document clears its diagnostics', async () => {
    const cleared = client.nextDiagnostics(file, (p) => p.diagnostics.length === 0 && p.version === undefined, 'after didClose');
    client.close(file);
    await cleared;
    const items = await client.connection.sendRequest(Language.CompletionRequest.type, { textDocument: { uri: uriOf(file) }, position: { line: 0, character: 0 } });
    assert.deepEqual(items, [], 'a closed document is not served');
  });

  it('a workspace template file gets Liquid syntax diagnostics', async () => {
    const dir = path.join(fs.realpathSync(root), '.superkick', 'templates', 'core');
    const template = path.join(dir, 'kickoff.liquid');
    const text = 'Work on {{ agent.name | shout }}\n';
    const first = client.nextDiagnostics(template, () => true, 'after didOpen');
    client.open(template, text);
    const published = await first;
    assert.deepEqual(published.diagnostics.map((d) => d.range), [rangeOf(text, 'shout')]);
    assert.match(messages(published)[0], /undefined filter: shout/);
  });

  it("an editor's initialize may authenticate its connection (as vscode-languageclient speaks first)", async () => {
    const token = fs.readFileSync(path.join(sandbox.dir, 'auth', 'client.token'), 'utf8').trim();
    const editor = await rawConnection(sandbox.dir);
    try {
      const result = (await editor.connection.sendRequest(Language.InitializeRequest.type, {
        processId: null,
        rootUri: null,
        capabilities: {},
        initializationOptions: { superkick: { token, client: 'editor', workspace: root } },
      })) as Language.InitializeResult & { superkick?: Host.Authenticate.Result };
      assert.equal(result.capabilities.hoverProvider, true);
      assert.equal(result.superkick?.principal, 'user');
      assert.equal(result.superkick?.hostPid, sandbox.hostPid());
      // The connection is now the user's: any other method works on it.
      assert.ok(Array.isArray(await editor.connection.sendRequest(Host.ListAgents.type, {})));
    } finally {
      editor.close();
    }
    const stranger = await rawConnection(sandbox.dir);
    try {
      await assert.rejects(
        stranger.connection.sendRequest(Language.InitializeRequest.type, { processId: null, rootUri: null, capabilities: {}, initializationOptions: { superkick: { token: 'nope', client: 'editor' } } }),
        /wrong token/,
      );
    } finally {
      stranger.close();
    }
  });

  it('an agent token may not use the language features', async () => {
    const id = await sandbox.startAgent(['sleep', '600'], ['--name', 'lsp-agent']);
    const user = await HostWatch.open(sandbox.dir);
    const { attachToken } = await user.connection.sendRequest(Host.ResolveAgent.type, { agent: id });
    user.close();
    const agent = await TestLanguageClient.open(sandbox.dir, attachToken!);
    try {
      await assert.rejects(
        agent.connection.sendRequest(Language.CompletionRequest.type, { textDocument: { uri: uriOf(file) }, position: { line: 0, character: 0 } }),
        /an agent token may not do this/,
      );
      await assert.rejects(agent.connection.sendRequest(Language.InitializeRequest.type, { processId: null, rootUri: null, capabilities: {} }), /an agent token may not do this/);
      await assert.rejects(agent.connection.sendRequest(Language.ShutdownRequest.type), /an agent token may not do this/);
      agent.open(file, 'budget: [1\n');
      // Messages on a connection are handled in order: once this answer is in, the didOpen was dropped.
      await agent.connection.sendRequest(Host.ListAgents.type, {});
      assert.deepEqual(agent.published, []);
      assert.match(fs.readFileSync(path.join(sandbox.dir, 'logs', 'host.log'), 'utf8'), /ignored textDocument\/didOpen from a connection without the user token/);
    } finally {
      agent.disconnect();
    }
  });
});
