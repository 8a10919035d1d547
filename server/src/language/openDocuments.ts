/**
 * The documents one client has open, as the client last sent them. While a
 * document is open its text here is what counts, whatever the file on disk
 * says; closing it forgets it.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { DidChangeTextDocumentParams, DidOpenTextDocumentParams } from '../protocol/language';

/** A document far larger than any configuration file is refused rather than parsed on every keystroke. */
export const MAX_DOCUMENT_CHARS = 1 << 20;

export class OpenDocuments {
  private readonly documents = new Map<string, TextDocument>();

  open({ textDocument: doc }: DidOpenTextDocumentParams): TextDocument | undefined {
    if (typeof doc?.uri !== 'string' || typeof doc.text !== 'string' || doc.text.length > MAX_DOCUMENT_CHARS) return undefined;
    const document = TextDocument.create(doc.uri, doc.languageId ?? 'yaml', doc.version ?? 0, doc.text);
    this.documents.set(doc.uri, document);
    return document;
  }

  /** Applies full or incremental changes; undefined when the document is not open here. */
  change({ textDocument, contentChanges }: DidChangeTextDocumentParams): TextDocument | undefined {
    const document = this.documents.get(textDocument?.uri);
    if (!document || !Array.isArray(contentChanges)) return undefined;
    const updated = TextDocument.update(document, contentChanges, textDocument.version ?? document.version + 1);
    if (updated.getText().length > MAX_DOCUMENT_CHARS) {
      this.documents.delete(textDocument.uri);
      return undefined;
    }
    return updated;
  }

  close(uri: string): boolean {
    return this.documents.delete(uri);
  }

  get(uri: string): TextDocument | undefined {
    return this.documents.get(uri);
  }

  all(): TextDocument[] {
    return [...this.documents.values()];
  }
}
