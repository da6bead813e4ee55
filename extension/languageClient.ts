// vscode-languageclient in a bundle of its own (dist/languageClient.js, see lazyBundles.ts), required when
// the server first starts.
export { CloseAction, ErrorAction, LanguageClient } from 'vscode-languageclient/node';
