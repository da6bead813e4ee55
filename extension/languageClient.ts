// vscode-languageclient in a bundle of its own (dist/languageClient.js), required when the server first
// starts: inside the extension's bundle, its code alone made loading the extension ~40% slower.
export { CloseAction, ErrorAction, LanguageClient } from 'vscode-languageclient/node';
