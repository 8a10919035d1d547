/**
 * One client's side of the language features: the documents it has open and
 * the diagnostics it is sent for them. The connection's handlers (in
 * clientSession.ts) call in here once they have checked the user token.
 *
 * Why handlers on the existing connection instead of vscode-languageserver's
 * `createConnection`: the socket already carries authentication, the
 * principal checks and the host's own methods. A second connection object on
 * the same reader would race the first for every message, and moving all of
 * the host onto the LSP connection type would buy nothing the few LSP methods
 * here need; they are ordinary typed requests and notifications to
 * vscode-jsonrpc.
 */
import type { ConfigLanguageService } from '../language';
import { OpenDocuments } from '../language';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type {
  CompletionItem,
  CompletionParams,
  DidChangeTextDocumentParams,
  DidCloseTextDocumentParams,
  DidOpenTextDocumentParams,
  Hover,
  HoverParams,
  PublishDiagnosticsParams,
} from '../protocol/language';
import type { Logger } from '../common/logger';

export class LanguageSession {
  private readonly documents = new OpenDocuments();

  constructor(
    private readonly service: ConfigLanguageService,
    private readonly publish: (params: PublishDiagnosticsParams) => void,
    private readonly log: Logger,
    private readonly tag: string,
  ) {}

  open(params: DidOpenTextDocumentParams): void {
    const document = this.documents.open(params);
    if (!document) this.log.warn(this.tag, `ignored didOpen of ${describeUri(params?.textDocument?.uri)}: not a text document of at most 1 MiB`);
    else this.diagnose(document);
  }

  change(params: DidChangeTextDocumentParams): void {
    const document = this.documents.change(params);
    if (document) this.diagnose(document);
  }

  close(params: DidCloseTextDocumentParams): void {
    const uri = params?.textDocument?.uri;
    if (typeof uri === 'string' && this.documents.close(uri) && this.service.serves(uri)) this.publish({ uri, diagnostics: [] });
  }

  complete(params: CompletionParams): CompletionItem[] {
    const document = this.documents.get(params?.textDocument?.uri);
    return document && params.position ? this.service.complete(document, params.position) : [];
  }

  hover(params: HoverParams): Hover | null {
    const document = this.documents.get(params?.textDocument?.uri);
    return document && params.position ? this.service.hover(document, params.position) : null;
  }

  /** The user's config.yml changed on disk: the workspace documents merged over it are checked again. */
  userConfigChanged(): void {
    for (const document of this.documents.all()) this.diagnose(document);
  }

  private diagnose(document: TextDocument): void {
    if (!this.service.serves(document.uri)) return;
    try {
      this.publish({ uri: document.uri, version: document.version, diagnostics: this.service.diagnose(document) });
    } catch (error) {
      // The loader reports bad input as diagnostics; reaching here is a bug, and it must not take the connection down.
      this.log.error(this.tag, `diagnostics for ${document.uri} failed: ${(error as Error).stack ?? String(error)}`);
    }
  }
}

function describeUri(uri: unknown): string {
  return typeof uri === 'string' ? uri.slice(0, 200) : 'a document without a uri';
}
