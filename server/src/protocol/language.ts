/**
 * The language features for superkick.yml, the user's config.yml and the
 * workspace's `.superkick/templates/**.liquid`, served by the host on the same
 * authenticated connection as everything else (user token only). These are
 * the Language Server Protocol's own messages, re-exported from
 * vscode-languageserver-protocol so a language client speaks to the host
 * unchanged and no LSP method string is spelled anywhere else.
 *
 * Documents are synchronised in full (`TextDocumentSyncKind.Full`); an open
 * document's text is authoritative over the file on disk until it is closed.
 */
import { TextDocumentSyncKind, type InitializeResult } from 'vscode-languageserver-protocol';

export {
  CompletionItemKind,
  CompletionRequest,
  DiagnosticSeverity,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  HoverRequest,
  InitializeRequest,
  InsertTextFormat,
  MarkupKind,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  TextDocumentSyncKind,
} from 'vscode-languageserver-protocol';

export type {
  CompletionItem,
  CompletionList,
  CompletionParams,
  Diagnostic,
  DidChangeTextDocumentParams,
  DidCloseTextDocumentParams,
  DidOpenTextDocumentParams,
  Hover,
  HoverParams,
  InitializeParams,
  InitializeResult,
  Position,
  PublishDiagnosticsParams,
  Range,
  TextEdit,
} from 'vscode-languageserver-protocol';

/*
 * Who sends what:
 *   Client → host: `initialize` (answered with SERVER_CAPABILITIES; as a connection's first message
 *     it may authenticate it, with Authenticate's params as `initializationOptions.superkick`, and
 *     the answer then carries Authenticate's result as `superkick`), `shutdown` (answered, and
 *     nothing stops: the host serves other clients; the client then closes its connection), `textDocument/didOpen`,
 *     `textDocument/didChange`, `textDocument/didClose`, `textDocument/completion`, `textDocument/hover`.
 *   Host → client: `textDocument/publishDiagnostics`, after every open and change of a document
 *     it serves (an empty list clears them), and once more, empty, when it is closed.
 */

/** `source` of every diagnostic the host publishes, so an editor can tell them apart. */
export const DIAGNOSTIC_SOURCE = 'superkick';

/** What the host answers to `initialize`: what a language client may ask of it. */
export const SERVER_CAPABILITIES: InitializeResult = {
  capabilities: {
    textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Full },
    // `:` and a space start a value (`type: `), `-` a list item; letters complete by themselves.
    completionProvider: { triggerCharacters: [':', ' ', '-'] },
    hoverProvider: true,
  },
  serverInfo: { name: 'superkick' },
};
