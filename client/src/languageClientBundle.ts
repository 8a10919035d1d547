/**
 * vscode-languageclient, built into a bundle of its own (dist/languageclient.js)
 * and loaded when the link first connects, after `activate` has returned:
 * it is most of the extension's code, and activation should not wait to parse it.
 */
export { CloseAction, ErrorAction, LanguageClient, RevealOutputChannelOn, State } from 'vscode-languageclient/node';
