/** Language features for superkick.yml, the user's config.yml and workspace Liquid templates. */
export { ConfigLanguageService, type LanguageServiceOptions } from './languageService';
export { OpenDocuments } from './openDocuments';
export { documentKind, type DocumentKind } from './documentKind';
